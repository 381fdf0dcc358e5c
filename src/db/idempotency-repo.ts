import type { Db } from './database.ts';
import type { IdempotentRequest } from './schema.ts';

export function findAnswer(db: Db, scopeHash: string): Promise<IdempotentRequest | undefined> {
  return db.selectFrom('idempotent_requests').selectAll().where('scope_hash', '=', scopeHash).executeTakeFirst();
}

/** Keeps the first answer for a scope; a concurrent second one is dropped. */
export async function storeAnswer(db: Db, answer: IdempotentRequest): Promise<void> {
  await db
    .insertInto('idempotent_requests')
    .values(answer)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function forgetAnswersBefore(db: Db, before: string): Promise<void> {
  await db.deleteFrom('idempotent_requests').where('created_at', '<', before).execute();
}
