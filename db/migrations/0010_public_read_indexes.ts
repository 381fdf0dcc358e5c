import { type Kysely, sql } from 'kysely';

// The queries behind the public pages walk an index from the newest row and stop at their
// limit, so rendering a page after a write costs the same with ten incidents or ten thousand:
// the latest change (max updated_at) for the home page, and the newest first by window or
// start for the feeds and the Statuspage v2 lists (with or without a kind).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('incidents_updated').on('incidents').column('updated_at').execute();
  await sql`create index incidents_recent on incidents ((coalesce(scheduled_for, started_at)), created_at)`.execute(db);
  await sql`create index incidents_recent_kind on incidents (kind, (coalesce(scheduled_for, started_at)), created_at)`.execute(
    db,
  );
  await db.schema
    .createIndex('incidents_started_created')
    .on('incidents')
    .columns(['started_at', 'created_at'])
    .execute();
}
