import type { Kysely } from 'kysely';
import type { Role } from '../domain/roles.ts';
import type { ApiToken, Database, User } from './schema.ts';

type Q = Kysely<Database>;

export function findUserByEmail(q: Q, email: string): Promise<User | undefined> {
  return q.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export function findUser(q: Q, id: string): Promise<User | undefined> {
  return q.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countUsers(q: Q, role?: Role): Promise<number> {
  let query = q.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'));
  if (role) query = query.where('role', '=', role);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export function listUsers(q: Q, limit: number, offset: number): Promise<User[]> {
  return q.selectFrom('users').selectAll().orderBy('created_at').orderBy('email').limit(limit).offset(offset).execute();
}

export function findTokenByHash(q: Q, hash: string): Promise<(ApiToken & { role: Role; email: string }) | undefined> {
  return q
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('t')
    .select(['u.role', 'u.email'])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst();
}

export function listTokens(q: Q, limit: number, offset: number): Promise<ApiToken[]> {
  return q.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').limit(limit).offset(offset).execute();
}

export async function countTokens(q: Q): Promise<number> {
  return Number(
    (
      await q
        .selectFrom('api_tokens')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

export async function insertUserRow(q: Q, user: User): Promise<void> {
  await q.insertInto('users').values(user).execute();
}

export async function updateUserRow(
  q: Q,
  id: string,
  changes: Partial<Pick<User, 'name' | 'role' | 'password_hash' | 'updated_at'>>,
): Promise<void> {
  await q.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function deleteUserRow(q: Q, id: string): Promise<void> {
  await q.deleteFrom('users').where('id', '=', id).execute();
}

export async function insertTokenRow(q: Q, token: ApiToken): Promise<void> {
  await q.insertInto('api_tokens').values(token).execute();
}

export function findTokenById(q: Q, id: string): Promise<ApiToken | undefined> {
  return q.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateTokenRow(
  q: Q,
  id: string,
  changes: Partial<Pick<ApiToken, 'revoked_at' | 'last_used_at'>>,
): Promise<void> {
  await q.updateTable('api_tokens').set(changes).where('id', '=', id).execute();
}

/** The one-time setup link's hash: at most one exists, and only while there is no user. */
export async function replaceSetupToken(
  q: Q,
  token: { token_hash: string; created_at: string; expires_at: string },
): Promise<void> {
  await q.deleteFrom('setup_tokens').execute();
  await q.insertInto('setup_tokens').values(token).execute();
}

export function setupTokenExpiry(q: Q, hash: string): Promise<{ expires_at: string } | undefined> {
  return q.selectFrom('setup_tokens').select('expires_at').where('token_hash', '=', hash).executeTakeFirst();
}

export async function deleteSetupTokens(q: Q): Promise<void> {
  await q.deleteFrom('setup_tokens').execute();
}

export function findUserBySlackId(q: Q, slackUserId: string): Promise<User | undefined> {
  return q.selectFrom('users').selectAll().where('slack_user_id', '=', slackUserId).executeTakeFirst();
}

export async function setSlackUserId(q: Q, userId: string, slackUserId: string | null, at: string): Promise<void> {
  await q.updateTable('users').set({ slack_user_id: slackUserId, updated_at: at }).where('id', '=', userId).execute();
}
