import SQLite from 'better-sqlite3';

/**
 * How much a database holds for the public site, read without creating, migrating or locking
 * anything: null when the file is missing or is not a Herald database.
 */
export function countSiteContent(path: string): { components: number; incidents: number } | null {
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(path, { readonly: true, fileMustExist: true, timeout: 5000 });
    const source = db;
    const tables = source
      .prepare("select name from sqlite_master where type = 'table' and name in ('components', 'incidents')")
      .pluck()
      .all();
    if (tables.length < 2) return null;
    const count = (table: 'components' | 'incidents') =>
      Number(source.prepare(`select count(*) from ${table}`).pluck().get());
    return { components: count('components'), incidents: count('incidents') };
  } catch (error) {
    // Not SQLite at all ("file is not a database") is an answer too; anything else is not.
    if (error instanceof SQLite.SqliteError && error.code === 'SQLITE_NOTADB') return null;
    if (error instanceof SQLite.SqliteError && error.code === 'SQLITE_CANTOPEN') return null;
    throw error;
  } finally {
    db?.close();
  }
}
