import { copyDatabase, type CopyReport, inspectCopy, openForBackup } from '../db/backup.ts';

export type { CopyReport };

/**
 * Copies a live Herald database to `destination` with SQLite's online backup, while the server
 * keeps writing, then checks the copy and counts its rows. The caller decides where it goes.
 */
export async function copyLiveDatabase(databasePath: string, destination: string): Promise<CopyReport> {
  const source = openForBackup(databasePath);
  try {
    await copyDatabase(source, destination);
  } finally {
    source.close();
  }
  return inspectCopy(destination);
}
