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
  return Number((await q.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}
