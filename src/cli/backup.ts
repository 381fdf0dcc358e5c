// `npm run backup -- <file> [--force]`: a consistent copy of a running Herald's SQLite database,
// taken online, checked, and only then put in place under its final name.
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { onDatabase } from '../lib/command-line.ts';
import { copyLiveDatabase } from '../services/backup.ts';
import { realPathOf } from '../lib/real-path.ts';
import { cliConfig, databaseLine } from './cli-config.ts';

const { databasePath } = cliConfig();
const USAGE = `Usage: ${onDatabase(databasePath, 'npm run backup -- <file> [--force]')}

Copies the database at DATABASE_PATH (here ${databasePath}) while Herald keeps running.
An existing <file> is replaced only with --force.`;

class Refusal extends Error {}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false } },
  });
  const target = positionals[0];
  if (!target || positionals.length > 1) throw new Refusal(USAGE);
  console.log(databaseLine(databasePath));
  if (databasePath === ':memory:')
    throw new Refusal('DATABASE_PATH is :memory:, which no other process can read: there is nothing to back up');
  if (!existsSync(databasePath))
    throw new Refusal(`There is no database at ${databasePath}; set DATABASE_PATH to the one Herald uses`);

  const destination = resolve(target);
  const live = realpathSync(databasePath);
  // Not even --force may write over the live database or its journal files.
  if ([live, `${live}-wal`, `${live}-shm`].includes(realPathOf(destination)))
    throw new Refusal(`${destination} is the live database; back up to another file`);
  if (existsSync(destination) && statSync(destination).isDirectory())
    throw new Refusal(`${destination} is a folder; give the backup a file name`);
  if (existsSync(destination) && !values.force)
    throw new Refusal(`${destination} already exists; pass --force to replace it`);

  mkdirSync(dirname(destination), { recursive: true });
  // Beside the target, so the final rename stays on one file system and is atomic.
  const partial = join(dirname(destination), `.${basename(destination)}.${process.pid}.partial`);
  const cleanUp = () =>
    ['', '-journal', '-wal', '-shm'].forEach((suffix) => rmSync(`${partial}${suffix}`, { force: true }));
  try {
    const report = await copyLiveDatabase(databasePath, partial);
    if (report.integrity.join() !== 'ok')
      throw new Refusal(
        `The copy failed its integrity check, so nothing was written to ${destination}:\n  ${report.integrity.join('\n  ')}`,
      );
    if (existsSync(destination) && !values.force)
      throw new Refusal(`${destination} appeared while the backup ran; pass --force to replace it`);
    renameSync(partial, destination);

    const width = Math.max(...report.tables.map((t) => t.name.length));
    console.log(`Backed up ${databasePath} to ${destination} (${size(statSync(destination).size)}, integrity ok)`);
    for (const table of report.tables) console.log(`  ${table.name.padEnd(width)}  ${table.rows}`);
  } finally {
    cleanUp();
  }
}

main().catch((error: unknown) => {
  const badArguments = error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
  if (error instanceof Refusal) console.error(error.message);
  else if (badArguments) console.error(`${error.message}\n\n${USAGE}`);
  else console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
