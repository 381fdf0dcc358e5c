import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // VAPID keys are made on first start (src/notify/vapid.ts) unless given in the environment.
  await db.schema.alterTable('settings').addColumn('vapid_public_key', 'text').execute();
  await db.schema.alterTable('settings').addColumn('vapid_private_key', 'text').execute();
}
