import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A reminder before a maintenance window starts: how many minutes before (null: none), and
  // when it went out, or was settled without one, so each window is reminded once per start time.
  await db.schema
    .alterTable('incidents')
    .addColumn('remind_minutes_before', 'integer', (c) => c.defaultTo(60))
    .execute();
  await db.schema.alterTable('incidents').addColumn('reminded_at', 'text').execute();
  // Incidents are not scheduled: no reminder.
  await sql`update incidents set remind_minutes_before = null where kind = 'incident'`.execute(db);
}
