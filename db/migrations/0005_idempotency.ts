import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Answers to POSTs sent with an Idempotency-Key, replayed for 24 hours (src/api/idempotency.ts).
  await db.schema
    .createTable('idempotent_requests')
    .addColumn('scope_hash', 'text', (c) => c.primaryKey())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('idempotent_requests_created').on('idempotent_requests').column('created_at').execute();
}
