import { sql } from 'kysely';
import type { Db } from './database.ts';

/** Names of the migrations this database has run (Kysely's own bookkeeping table). */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((row) => row.name);
}
