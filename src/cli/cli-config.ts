import { existsSync } from 'node:fs';
import { readDotEnvOrExit } from '../../scripts/env-file.mjs';
import { type Config, ConfigError, loadConfig } from '../config.ts';

/**
 * How every CLI starts, as `npm start` does (scripts/start.mjs): `.env` from the working directory
 * first (the real environment wins), then the validated configuration. A bad file or setting
 * prints its problems and exits 1.
 */
export function cliConfig(): Config {
  readDotEnvOrExit();
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** The line a CLI prints before it touches a database, so a wrong DATABASE_PATH shows at once. */
export function databaseLine(databasePath: string): string {
  if (databasePath === ':memory:')
    return 'Database: :memory: (DATABASE_PATH), a new empty database in this process only';
  return existsSync(databasePath)
    ? `Database: ${databasePath} (DATABASE_PATH)`
    : `Database: ${databasePath} (DATABASE_PATH) does not exist yet and will be created`;
}
