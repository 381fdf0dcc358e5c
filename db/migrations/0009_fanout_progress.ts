import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A fan-out's progress per notification and channel: every subscriber of the audience with an
  // id up to `cursor` has been sent the notification or has a row in `deliveries` (a retry or a
  // failure, with its reason). One row per channel instead of one per recipient.
  await db.schema
    .createTable('fanouts')
    .addColumn('notification_id', 'integer', (c) => c.notNull().references('notifications.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('cursor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('fanouts_pk', ['notification_id', 'channel'])
    .execute();
  // Notifications part-expanded before this migration resume with a fan-out from the start: the
  // subscribers who already have a delivery row are skipped, and those rows are sent as retries.
}
