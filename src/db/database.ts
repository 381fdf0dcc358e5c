import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { type MigrationProvider, Migrator } from 'kysely/migration';
import { migrations } from '../../db/migrations/index.ts';
import type { Database } from './schema.ts';
import { PooledSqliteDialect } from './sqlite-driver.ts';

export type Db = Kysely<Database>;

const staticMigrations: MigrationProvider = { getMigrations: async () => migrations };

/** One for the transaction under way, the rest for reads that must not wait behind it. */
const CONNECTIONS = 4;

/** How long a statement waits for another process's lock before the request answers 503. */
export const BUSY_WAIT_MS = 5_000;

/** Opens (creating if needed) the SQLite file with the pragmas Herald relies on. */
export function openDatabase(path: string, options: { busyWaitMs?: number } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const configure = (sqlite: SQLite.Database) => {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    // Never wait inside SQLite: that would block the event loop (see sqlite-driver.ts).
    sqlite.pragma('busy_timeout = 0');
    // WAL with NORMAL is durable across process crashes; only an OS crash can lose the last commit.
    sqlite.pragma('synchronous = NORMAL');
    // better-sqlite3's default page cache is 16 MiB a connection; the pool has four, and the
    // working set of the queries on the serving path is far smaller.
    sqlite.pragma('cache_size = -4000');
  };
  // Each connection to :memory: would be a database of its own.
  const connections = path === ':memory:' ? 1 : CONNECTIONS;
  return new Kysely<Database>({
    dialect: new PooledSqliteDialect({ path, maxWaitMs: options.busyWaitMs ?? BUSY_WAIT_MS, connections, configure }),
  });
}

/** Folds the WAL back into the database file, so a stopped Herald leaves one complete file. */
export async function closeDatabase(db: Db): Promise<void> {
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  await db.destroy();
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: staticMigrations });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
