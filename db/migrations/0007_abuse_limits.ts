import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Sliding-window counters for sign-in and every public write, kept in the database so that
  // several Herald processes on one database share them. One row per key and window.
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'integer', (c) => c.notNull()) // ms since epoch
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limits_pk', ['key', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_limits_window').on('rate_limits').column('window_start').execute();

  // The owner's ceiling on confirmation mails an hour, whoever asks for them.
  await db.schema
    .alterTable('settings')
    .addColumn('confirmation_mails_per_hour', 'integer', (c) => c.notNull().defaultTo(500))
    .execute();
}
