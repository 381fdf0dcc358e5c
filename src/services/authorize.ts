import { can, type Permission } from '../domain/roles.ts';
import type { Actor } from './actor.ts';
import { Forbidden, ReauthenticationRequired } from './errors.ts';

const WHAT: Record<Permission, string> = {
  read: 'read the admin data',
  manage_incidents: 'manage incidents, maintenance and component statuses',
  manage_components: 'manage components and groups',
  manage_page: 'manage the team, API tokens and page settings',
};

/** Checked by every use case, so no route can forget it; the scheduler and CLI are trusted. */
export function authorize(actor: Actor, permission: Permission): void {
  if (actor.kind === 'system') return;
  if (!can(actor.role, permission)) {
    throw new Forbidden(`The ${actor.role} role cannot ${WHAT[permission]}`);
  }
}

/** How long a typed password counts as fresh for team and token changes. */
export const FRESH_SIGN_IN_MS = 15 * 60_000;

/**
 * A stolen or forgotten-open session must not mint API tokens or add people: those changes need a
 * password typed in the last few minutes. Tokens carry no session to steal, so they pass.
 */
export function requireRecentSignIn(actor: Actor, now: Date): void {
  if (actor.kind !== 'user' || actor.via !== 'session') return;
  const at = actor.verifiedAt ? Date.parse(actor.verifiedAt) : Number.NaN;
  if (!(now.getTime() - at <= FRESH_SIGN_IN_MS)) {
    throw new ReauthenticationRequired('Confirm your password to change the team or API tokens');
  }
}
