import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // RFC 5545's SEQUENCE for /maintenance.ics: raised by one each time a window moves or is
  // cancelled, so calendars replace the event they hold instead of keeping the old times.
  await db.schema
    .alterTable('incidents')
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
