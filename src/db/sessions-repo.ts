import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database>;

export function sessionsOf(q: Q, userId: string) {
  return q.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

/** Answers whether a session of that user went. */
export async function deleteSessionOf(q: Q, userId: string, sessionHash: string): Promise<boolean> {
  const result = await q
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('id', '=', sessionHash)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Every session of a user but one (pass '' to end them all). */
export async function deleteSessionsOfExcept(q: Q, userId: string, keepHash: string): Promise<void> {
  await q.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepHash).execute();
}

export async function markSessionVerified(q: Q, userId: string, sessionHash: string, at: string): Promise<void> {
  await q
    .updateTable('sessions')
    .set({ verified_at: at })
    .where('id', '=', sessionHash)
    .where('user_id', '=', userId)
    .execute();
}
