import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  SqliteDialect,
} from 'kysely';
import { Semaphore } from '../lib/semaphore.ts';
import { DatabaseBusy } from './errors.ts';

const isBusy = (error: unknown): boolean =>
  error instanceof Error &&
  'code' in error &&
  typeof error.code === 'string' &&
  /^SQLITE_(BUSY|LOCKED)/.test(error.code);

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

/** Kysely compiles the same few hundred statements over and over; SQLite need not. */
const STATEMENT_CACHE_SIZE = 500;

class BusyRetryingConnection implements DatabaseConnection {
  readonly db: SQLite.Database;
  readonly #maxWaitMs: number;
  readonly #statements = new Map<string, SQLite.Statement>();

  constructor(db: SQLite.Database, maxWaitMs: number) {
    this.db = db;
    this.#maxWaitMs = maxWaitMs;
  }

  #prepared(sql: string): SQLite.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE)
        this.#statements.delete(this.#statements.keys().next().value ?? '');
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return retryWhileBusy(() => {
      const statement = this.#prepared(compiled.sql);
      const parameters = compiled.parameters as unknown[];
      if (statement.reader) return { rows: statement.all(parameters) as R[] };
      const { changes, lastInsertRowid } = statement.run(parameters);
      return { rows: [], insertId: BigInt(lastInsertRowid), numAffectedRows: BigInt(changes) };
    }, this.#maxWaitMs);
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const rows = this.db.prepare(compiled.sql).iterate(compiled.parameters as unknown[]);
    for (const row of rows) yield { rows: [row as R] };
  }
}

export type SqliteConnectionOptions = {
  path: string;
  maxWaitMs: number;
  connections: number;
  configure: (db: SQLite.Database) => void;
};

/**
 * A few SQLite connections to one file instead of Kysely's single one, so that a transaction
 * waiting for another process's lock holds up only the other writers: reads go on through the
 * other connections (WAL gives each a consistent snapshot). Transactions of this process still
 * run one at a time, in order, so they queue here instead of polling SQLite for its lock.
 */
class PooledSqliteDriver implements Driver {
  readonly #options: SqliteConnectionOptions;
  readonly #all: BusyRetryingConnection[] = [];
  readonly #idle: BusyRetryingConnection[] = [];
  readonly #waiting: ((connection: BusyRetryingConnection) => void)[] = [];
  readonly #transactions = new Semaphore(1);
  readonly #releaseTransaction = new Map<DatabaseConnection, () => void>();

  constructor(options: SqliteConnectionOptions) {
    this.#options = options;
  }

  async init(): Promise<void> {
    this.#idle.push(this.#open());
  }

  #open(): BusyRetryingConnection {
    const sqlite = new SQLite(this.#options.path);
    this.#options.configure(sqlite);
    const connection = new BusyRetryingConnection(sqlite, this.#options.maxWaitMs);
    this.#all.push(connection);
    return connection;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#all.length < this.#options.connections) return this.#open();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const next = this.#waiting.shift();
    if (next) next(connection as BusyRetryingConnection);
    else this.#idle.push(connection as BusyRetryingConnection);
  }

  // IMMEDIATE takes the write lock at BEGIN, where waiting for it can be retried as a whole; a
  // deferred transaction that meets a lock half-way could only be rolled back.
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const release = await this.#transactions.hold();
    try {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      this.#releaseTransaction.set(connection, release);
    } catch (error) {
      release();
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('commit'));
    } finally {
      this.#endTransaction(connection);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      this.#endTransaction(connection);
    }
  }

  #endTransaction(connection: DatabaseConnection): void {
    this.#releaseTransaction.get(connection)?.();
    this.#releaseTransaction.delete(connection);
  }

  async destroy(): Promise<void> {
    for (const connection of this.#all) connection.db.close();
  }
}

class PooledSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

/** Kysely's SQLite dialect (compiler, introspection) over the pooled, busy-aware driver above. */
export class PooledSqliteDialect extends SqliteDialect {
  readonly #options: SqliteConnectionOptions;

  constructor(options: SqliteConnectionOptions) {
    // Kysely's own driver is never created: createDriver below replaces it.
    super({ database: async () => new SQLite(':memory:') });
    this.#options = options;
  }

  override createDriver(): Driver {
    return new PooledSqliteDriver(this.#options);
  }

  override createAdapter(): SqliteAdapter {
    return new PooledSqliteAdapter();
  }
}
