import { can, type Permission } from '../domain/roles.ts';
import type { Actor } from './actor.ts';
import { Forbidden } from './errors.ts';

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
