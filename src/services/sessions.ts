import { sha256 } from '../lib/ids.ts';
import type { Actor } from './actor.ts';
import { iso, type ServiceContext } from './context.ts';
import { Forbidden, NotFound } from './errors.ts';
import { verifySignIn } from './users.ts';
import * as repo from '../db/sessions-repo.ts';

export type SessionView = {
  id: string;
  created_at: string;
  expires_at: string;
  user_agent: string | null;
  ip: string | null;
  current: boolean;
};

function requireUser(actor: Actor): string {
  if (actor.kind !== 'user') throw new Forbidden('Only users have sessions');
  return actor.userId;
}

/** A user's own sessions; `id` is the stored hash, never the cookie value. */
export async function listOwnSessions(
  ctx: ServiceContext,
  actor: Actor,
  currentSecret: string | null,
): Promise<SessionView[]> {
  const userId = requireUser(actor);
  const current = currentSecret ? sha256(currentSecret) : null;
  const rows = await repo.sessionsOf(ctx.db, userId);
  return rows.map((r) => ({
    id: r.id,
    created_at: r.created_at,
    expires_at: new Date(r.expires_at).toISOString(),
    user_agent: r.user_agent,
    ip: r.ip,
    current: r.id === current,
  }));
}

export async function endOwnSession(ctx: ServiceContext, actor: Actor, sessionHash: string): Promise<void> {
  const userId = requireUser(actor);
  if (!(await repo.deleteSessionOf(ctx.db, userId, sessionHash))) throw new NotFound('No such session of yours');
}

/** After a password change only the session that made it stays signed in. */
export async function endOtherSessions(ctx: ServiceContext, actor: Actor, currentSecret: string | null): Promise<void> {
  const userId = requireUser(actor);
  await repo.deleteSessionsOfExcept(ctx.db, userId, currentSecret ? sha256(currentSecret) : '');
}

/**
 * Typing the password again makes the current session fresh for team and token changes. It goes
 * through the sign-in check, so it is throttled the same way and reads the same on failure.
 */
export async function confirmPassword(
  ctx: ServiceContext,
  actor: Actor,
  currentSecret: string | null,
  input: { password: string; ip: string },
): Promise<void> {
  if (actor.kind !== 'user' || actor.via !== 'session' || !currentSecret)
    throw new Forbidden('Only a signed-in session can confirm a password');
  await verifySignIn(ctx, { email: actor.label, password: input.password, ip: input.ip });
  await repo.markSessionVerified(ctx.db, actor.userId, sha256(currentSecret), iso(ctx.now()));
}
