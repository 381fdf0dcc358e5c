import type SQLite from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, SqliteDialect } from 'kysely';

/**
 * Thrown when another process (a backup, the CLI, a second writer) has held the database for
 * longer than Herald waits. The HTTP layer answers 503 with Retry-After; nothing was written.
 */
export class DatabaseBusy extends Error {
  readonly retryAfterSeconds: number;
  constructor(waitedMs: number) {
    super(`The database is busy (another process has held it for ${Math.round(waitedMs)} ms); nothing was changed, try again shortly.`);
    this.name = 'DatabaseBusy';
    this.retryAfterSeconds = 2;
  }
}

const isBusy = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(error.code);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * better-sqlite3 is synchronous: with SQLite's own busy_timeout a locked database would stop
 * the event loop, and with it every cached page. So busy_timeout is 0 and a busy statement is
 * retried here, asynchronously, with a short backoff until `maxWaitMs` has passed.
 */
async function retryWhileBusy<T>(run: () => T, maxWaitMs: number): Promise<T> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return run();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const waited = performance.now() - started;
      if (waited >= maxWaitMs) throw new DatabaseBusy(waited);
      await sleep(Math.min(100, 2 ** attempt, maxWaitMs - waited));
    }
  }
}

class BusyRetryingConnection implements DatabaseConnection {
  readonly #db: SQLite.Database;
  readonly #maxWaitMs: number;

  constructor(db: SQLite.Database, maxWaitMs: number) {
    this.#db = db;
    this.#maxWaitMs = maxWaitMs;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return retryWhileBusy(() => {
      const statement = this.#db.prepare(compiled.sql);
      const parameters = compiled.parameters as unknown[];
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      const { changes, lastInsertRowid } = statement.run(parameters);
      return { rows: [], insertId: BigInt(lastInsertRowid), numAffectedRows: BigInt(changes) };
    }, this.#maxWaitMs);
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const rows = this.#db.prepare(compiled.sql).iterate(compiled.parameters as unknown[]);
    for (const row of rows) yield { rows: [row as R] };
  }
}

class BusyRetryingDriver implements Driver {
  readonly #connection: BusyRetryingConnection;
  readonly #db: SQLite.Database;

  constructor(db: SQLite.Database, maxWaitMs: number) {
    this.#db = db;
    this.#connection = new BusyRetryingConnection(db, maxWaitMs);
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection;
  }
  // IMMEDIATE takes the write lock at BEGIN, where waiting for it can be retried as a whole; a
  // deferred transaction that meets a lock half-way could only be rolled back.
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    this.#db.close();
  }
}

/** Kysely's SQLite dialect (adapter, compiler, introspection) over the busy-aware driver above. */
export class BusyRetryingSqliteDialect extends SqliteDialect {
  readonly #db: SQLite.Database;
  readonly #maxWaitMs: number;

  constructor(db: SQLite.Database, maxWaitMs: number) {
    super({ database: db });
    this.#db = db;
    this.#maxWaitMs = maxWaitMs;
  }

  override createDriver(): Driver {
    return new BusyRetryingDriver(this.#db, this.#maxWaitMs);
  }
}
