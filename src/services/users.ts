import { burnPasswordCheck, hashPassword, passwordProblem, verifyPassword } from '../auth/passwords.ts';
import * as repo from '../db/users-repo.ts';
import type { User } from '../db/schema.ts';
import { SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS } from '../domain/rate-limit.ts';
import type { Role } from '../domain/roles.ts';
import { newId, newSecret, sha256 } from '../lib/ids.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize, requireRecentSignIn } from './authorize.ts';
import { iso, type ServiceContext, type Trx, write } from './context.ts';
import { Conflict, Forbidden, Invalid, NotFound, Unauthorized } from './errors.ts';
import { type Page, type PageRequest, pageOf } from './paging.ts';
import { enforceLimits, forgetHits, refundHit } from './rate-limits.ts';
import type { z } from 'zod';
import type * as schemas from './schemas.ts';
import { deleteSessionsOfExcept } from '../db/sessions-repo.ts';

/** What the API shows of a user: never the password hash. */
export type UserView = Pick<User, 'id' | 'email' | 'name' | 'role' | 'created_at' | 'updated_at'>;

export function userView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    created_at: user.created_at,
    updated_at: user.updated_at,
  };
}

export type NewUser = z.output<typeof schemas.userCreate>;

export function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new Invalid(problem, [{ field: 'password', message: problem }]);
}

/** Adds a user inside the caller's transaction, refusing an email already taken. */
export async function insertUser(trx: Trx, actor: Actor, input: NewUser, at: string): Promise<User> {
  const email = input.email.trim().toLowerCase();
  if (await repo.findUserByEmail(trx, email)) throw new Conflict(`A user with the email ${email} already exists`);
  const user: User = {
    id: newId(),
    email,
    name: input.name?.trim() || email.split('@')[0] || email,
    role: input.role,
    password_hash: await hashPassword(input.password),
    slack_user_id: null,
    created_at: at,
    updated_at: at,
  };
  await repo.insertUserRow(trx, user);
  await recordAudit(trx, actor, at, {
    action: 'user.create',
    targetType: 'user',
    targetId: user.id,
    details: { email, role: user.role },
  });
  return user;
}

export async function createUser(ctx: ServiceContext, actor: Actor, input: NewUser): Promise<UserView> {
  authorize(actor, 'manage_page');
  requireRecentSignIn(actor, ctx.now());
  checkPassword(input.password);
  return userView(await write(ctx, (trx) => insertUser(trx, actor, input, iso(ctx.now()))));
}

export async function listUsers(ctx: ServiceContext, actor: Actor, page: PageRequest): Promise<Page<UserView>> {
  authorize(actor, 'read');
  const [rows, total] = await Promise.all([repo.listUsers(ctx.db, page.perPage, page.offset), repo.countUsers(ctx.db)]);
  return pageOf(rows.map(userView), total, page);
}

/** A page always keeps one owner: nobody can demote or remove the last. */
async function keepAnOwner(trx: Trx, user: User, losingOwnership: boolean): Promise<void> {
  if (user.role === 'owner' && losingOwnership && (await repo.countUsers(trx, 'owner')) <= 1) {
    throw new Conflict('This is the last owner; make someone else owner first');
  }
}

export async function updateUser(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  patch: { name?: string; role?: Role },
): Promise<UserView> {
  authorize(actor, 'manage_page');
  requireRecentSignIn(actor, ctx.now());
  return write(ctx, async (trx) => {
    const user = await repo.findUser(trx, id);
    if (!user) throw new NotFound(`User ${id} does not exist`);
    await keepAnOwner(trx, user, patch.role !== undefined && patch.role !== 'owner');
    const at = iso(ctx.now());
    await repo.updateUserRow(trx, id, { ...patch, updated_at: at });
    if (patch.role && patch.role !== user.role) {
      // A demoted user must not keep acting with the old role through a live session.
      await deleteSessionsOfExcept(trx, id, '');
    }
    await recordAudit(trx, actor, at, {
      action: 'user.update',
      targetType: 'user',
      targetId: id,
      details: { ...patch, previous_role: user.role },
    });
    const updated = await repo.findUser(trx, id);
    if (!updated) throw new NotFound(`User ${id} does not exist`);
    return userView(updated);
  });
}

export async function deleteUser(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'manage_page');
  requireRecentSignIn(actor, ctx.now());
  await write(ctx, async (trx) => {
    const user = await repo.findUser(trx, id);
    if (!user) throw new NotFound(`User ${id} does not exist`);
    await keepAnOwner(trx, user, true);
    await repo.deleteUserRow(trx, id);
    await recordAudit(trx, actor, iso(ctx.now()), {
      action: 'user.delete',
      targetType: 'user',
      targetId: id,
      details: { email: user.email, role: user.role },
    });
  });
}

export async function changePassword(
  ctx: ServiceContext,
  actor: Actor,
  input: { current: string; next: string },
): Promise<void> {
  if (actor.kind !== 'user') throw new Forbidden('Only a signed-in user can change their password');
  checkPassword(input.next);
  const user = await repo.findUser(ctx.db, actor.userId);
  if (!user || !(await verifyPassword(user.password_hash, input.current))) {
    throw new Invalid('The current password is wrong', [{ field: 'current_password', message: 'does not match' }]);
  }
  const hash = await hashPassword(input.next);
  await write(ctx, async (trx) => {
    const at = iso(ctx.now());
    await repo.updateUserRow(trx, user.id, { password_hash: hash, updated_at: at });
    await recordAudit(trx, actor, at, { action: 'user.password', targetType: 'user', targetId: user.id });
  });
}

/**
 * Checks a sign-in. Every failure reads the same, whether or not the account exists. The attempt
 * is counted before the password is checked (ten an account, thirty an address, in fifteen
 * minutes), so parallel guesses cannot all slip in while the first ones are being hashed.
 */
export async function verifySignIn(
  ctx: ServiceContext,
  input: { email: string; password: string; ip: string },
): Promise<User> {
  const email = input.email.trim().toLowerCase();
  await enforceLimits(
    ctx,
    [
      [SIGN_IN_PER_ACCOUNT, email],
      [SIGN_IN_PER_ADDRESS, input.ip],
    ],
    'Too many sign-in attempts; try again later',
  );
  const user = await repo.findUserByEmail(ctx.db, email);
  const ok = user
    ? await verifyPassword(user.password_hash, input.password)
    : (await burnPasswordCheck(input.password), false);
  if (!user || !ok) throw new Unauthorized('The email or password is wrong');
  // Only failures should count: the owner of the account is back in, so earlier guesses against
  // it no longer lock them out, and a busy office address is not charged for good sign-ins.
  await forgetHits(ctx, SIGN_IN_PER_ACCOUNT, email);
  await refundHit(ctx, SIGN_IN_PER_ADDRESS, input.ip);
  return user;
}

const SETUP_TTL_MS = 24 * 60 * 60_000;

/** With no user yet, a one-time link lets the first person become owner. Null once set up. */
export async function issueSetupToken(ctx: ServiceContext): Promise<string | null> {
  const secret = newSecret();
  const issued = await write(ctx, async (trx) => {
    if ((await repo.countUsers(trx)) > 0) return false;
    const now = ctx.now();
    await repo.replaceSetupToken(trx, {
      token_hash: sha256(secret),
      created_at: iso(now),
      expires_at: iso(new Date(now.getTime() + SETUP_TTL_MS)),
    });
    return true;
  });
  return issued ? secret : null;
}

export async function setupTokenIsValid(ctx: ServiceContext, secret: string): Promise<boolean> {
  const row = await repo.setupTokenExpiry(ctx.db, sha256(secret));
  return !!row && Date.parse(row.expires_at) > ctx.now().getTime();
}

export async function completeSetup(
  ctx: ServiceContext,
  secret: string,
  input: Omit<NewUser, 'role'>,
): Promise<UserView> {
  checkPassword(input.password);
  return userView(
    await write(ctx, async (trx) => {
      const row = await repo.setupTokenExpiry(trx, sha256(secret));
      if (!row || Date.parse(row.expires_at) <= ctx.now().getTime() || (await repo.countUsers(trx)) > 0) {
        throw new Forbidden('This setup link is no longer valid; restart Herald to get a new one');
      }
      await repo.deleteSetupTokens(trx);
      return insertUser(trx, { kind: 'system', label: 'setup' }, { ...input, role: 'owner' }, iso(ctx.now()));
    }),
  );
}
