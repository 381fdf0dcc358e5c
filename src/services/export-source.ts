import { existsSync } from 'node:fs';
import { countSiteContent } from '../db/site-content.ts';

/**
 * Why the static export must not be made from this database, or null when it may. A missing file
 * is refused rather than created, and an empty one too: either would export a blank status page
 * that looks like a real one, which is worse than no export (usually DATABASE_PATH is not set
 * where the export runs).
 */
export function exportSourceRefusal(databasePath: string): string | null {
  if (databasePath === ':memory:')
    return 'Refusing to export: DATABASE_PATH is :memory:, a database no other process can read. Set DATABASE_PATH to the database Herald serves.';
  if (!existsSync(databasePath))
    return `Refusing to export: there is no database at ${databasePath}. Set DATABASE_PATH to the database Herald serves (or export a running Herald with --from <its URL>).`;
  const content = countSiteContent(databasePath);
  if (!content)
    return `Refusing to export: ${databasePath} is not a Herald database. Set DATABASE_PATH to the database Herald serves.`;
  if (content.components === 0 && content.incidents === 0)
    return `Nothing to export: the database at ${databasePath} has no components and no incidents. Is DATABASE_PATH the database Herald serves?`;
  return null;
}
