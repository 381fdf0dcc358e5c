import SQLite from 'better-sqlite3';

export type TableCount = { name: string; rows: number };

export type CopyReport = { integrity: string[]; tables: TableCount[] };

/**
 * Opens a live Herald database for copying only. Read-only and without migrations, so a backup
 * can never change the schema under the running server; the file must already exist, so a wrong
 * DATABASE_PATH fails instead of backing up a new empty database.
 */
export function openForBackup(path: string): SQLite.Database {
  const source = new SQLite(path, { readonly: true, fileMustExist: true, timeout: 5000 });
  const migrated = source
    .prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'")
    .get();
  if (!migrated) {
    source.close();
    throw new Error(`${path} is not a Herald database (it has no migration table)`);
  }
  return source;
}

/**
 * SQLite's online backup, page by page: each step holds a read snapshot only briefly, and in WAL
 * mode the server keeps writing meanwhile. A write by the server between steps restarts the copy,
 * so once a step makes no headway the rest goes in one step under one snapshot: a busy server
 * cannot keep the copy restarting forever.
 */
export async function copyDatabase(source: SQLite.Database, destination: string): Promise<{ totalPages: number }> {
  let remaining = Infinity;
  let oneStep = false;
  const result = await source.backup(destination, {
    progress: ({ totalPages, remainingPages }) => {
      if (remainingPages >= remaining) oneStep = true;
      remaining = remainingPages;
      return oneStep ? totalPages : 100;
    },
  });
  return { totalPages: result.totalPages };
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Checks a finished copy and counts its rows. The copy is switched to a rollback journal so it is
 * one self-contained file that opens read-only anywhere, with no -wal or -shm beside it.
 */
export function inspectCopy(path: string): CopyReport {
  const copy = new SQLite(path, { fileMustExist: true });
  try {
    const integrity = copy.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>;
    copy.pragma('journal_mode = DELETE');
    const names = copy
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      .pluck()
      .all() as string[];
    const tables = names.map((name) => ({
      name,
      rows: copy
        .prepare(`select count(*) from ${quoted(name)}`)
        .pluck()
        .get() as number,
    }));
    return { integrity: integrity.map((row) => row.integrity_check), tables };
  } finally {
    copy.close();
  }
}
