// `npm run export -- <dir> [--from <url>]`: write the whole public site as static files, so it
// can be served from a CDN or object storage away from the infrastructure it reports on.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuild, ROOT } from '../../scripts/ensure-build.mjs';
import { onDatabase } from '../lib/command-line.ts';
import { exportSourceRefusal } from '../services/export-source.ts';
import { cliConfig, databaseLine } from './cli-config.ts';
import { exportFileFor, internalLinks } from '../publishing/export-paths.ts';
import { FIXED_PUBLIC_PATHS, languageSeeds, matchPublicRoute, NOT_FOUND_KEY } from '../publishing/public-routes.ts';
import { prefixOf, splitLanguage } from '../i18n/language-path.ts';
import { startServer } from './child-server.ts';
import { realPathOf } from '../lib/real-path.ts';

const SEEDS = [...FIXED_PUBLIC_PATHS, NOT_FOUND_KEY];
const MAX_PAGES = 20_000;

/**
 * Left in every export. The export replaces its folder whole, so it only replaces a folder that
 * carries this file: a mistyped target such as `data` or `~` is refused instead of deleted.
 */
export const EXPORT_MARKER = '.herald-export';

function within(path: string, folder: string): boolean {
  const rest = relative(folder, path);
  return rest === '' || (!isAbsolute(rest) && rest.split(sep)[0] !== '..');
}

/** Why the export must not replace `outDir`, or null when it may. */
export function exportRefusal(outDir: string, databasePath: string): string | null {
  const target = realPathOf(outDir);
  if (databasePath !== ':memory:') {
    const dataDir = realPathOf(dirname(databasePath));
    if (within(target, dataDir) || within(dataDir, target)) {
      return `Refusing to export to ${outDir}: replacing it would touch ${dataDir}, the folder that holds the database (DATABASE_PATH). Export somewhere else, such as ./public-site.`;
    }
  }
  if (!existsSync(outDir)) return null;
  if (!statSync(outDir).isDirectory()) return `Refusing to export to ${outDir}: it is a file, not a folder.`;
  if (readdirSync(outDir).length > 0 && !existsSync(join(outDir, EXPORT_MARKER))) {
    return `Refusing to export to ${outDir}: the folder is not empty and was not written by an export (it has no ${EXPORT_MARKER} file), and an export replaces its folder whole. Choose an empty or new folder.`;
  }
  return null;
}

/** Files of dist/client are copied as they are, not crawled. */
function isStaticAsset(path: string): boolean {
  return existsSync(join(ROOT, 'dist/client', path)) && statSync(join(ROOT, 'dist/client', path)).isFile();
}

export async function exportSite(outDir: string, from: string): Promise<string[]> {
  const written: string[] = [];
  const queue = [...SEEDS];
  const seen = new Set(queue);
  while (queue.length > 0 && written.length < MAX_PAGES) {
    const path = queue.shift() ?? '/';
    const response = await fetch(new URL(path, from), { headers: { 'accept-encoding': 'identity' } });
    const expected = path === '/404' || path.endsWith('/404') ? 404 : 200;
    if (response.status !== expected) throw new Error(`GET ${path} answered ${response.status}, expected ${expected}`);
    const body = Buffer.from(await response.arrayBuffer());
    const file = resolve(outDir, exportFileFor(path));
    // A link is written where its own path says, never above the export's folder.
    if (!file.startsWith(`${resolve(outDir)}${sep}`)) throw new Error(`GET ${path} would be written outside ${outDir}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
    written.push(path);
    // A language's home page, reached through the switcher: its pages nothing links to (its 404,
    // badge, widget, feeds) are exported with it.
    const { language, path: rest } = splitLanguage(path);
    if (language && rest === '/')
      for (const seed of languageSeeds(prefixOf(language)))
        if (!seen.has(seed)) {
          seen.add(seed);
          queue.push(seed);
        }
    if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
      for (const link of internalLinks(body.toString('utf8'))) {
        // Only the public pages the server itself caches: the console, setup, invitations and
        // subscription forms are never written into an export, whatever a page links to.
        // Only links written as the page's own path (no `.`/`..` segments, no doubled slashes).
        const plain = new URL(link, 'http://export.invalid').pathname === link && !/\/\.\.?(\/|$)/.test(link);
        if (plain && !seen.has(link) && !isStaticAsset(link) && matchPublicRoute(link).kind === 'cached') {
          seen.add(link);
          queue.push(link);
        }
      }
    }
  }
  return written;
}

async function main(): Promise<void> {
  const config = cliConfig();
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { from: { type: 'string' } } });
  const target = positionals[0];
  if (!target) {
    console.error(
      `Usage: ${onDatabase(config.databasePath, 'npm run export -- <dir> [--from http://localhost:4321]')}`,
    );
    process.exit(1);
  }
  const outDir = resolve(target);
  // With --from the pages come from that server; otherwise from a private one on this database.
  const refusal =
    exportRefusal(outDir, config.databasePath) ?? (values.from ? null : exportSourceRefusal(config.databasePath));
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
  if (!values.from) console.log(databaseLine(config.databasePath));
  const staging = mkdtempSync(join(tmpdir(), 'herald-export-'));
  let stop = async () => {};
  let from = values.from;
  if (!from) {
    ensureBuild();
    // A private server on the same database, with links pointing at the public base URL.
    // It runs where the export runs, so it reads the same .env (whose values this process holds already).
    const server = await startServer(
      { DATABASE_PATH: config.databasePath, HERALD_BASE_URL: config.baseUrl.href, HERALD_SCHEDULER: 'false' },
      undefined,
      { cwd: process.cwd() },
    );
    from = server.url;
    stop = async () => void (await server.stop());
  }
  try {
    const written = await exportSite(staging, from);
    const assets = join(ROOT, 'dist/client');
    if (existsSync(assets)) cpSync(assets, staging, { recursive: true });
    writeFileSync(
      join(staging, EXPORT_MARKER),
      'Written by `npm run export`, which replaces this folder whole on the next export.\n',
    );
    // Asked again: the folder may have changed hands while the site was crawled.
    const late = exportRefusal(outDir, config.databasePath);
    if (late) {
      console.error(late);
      process.exitCode = 1;
      return;
    }
    // Swapped in whole, so a static server never serves a half-written site.
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(dirname(outDir), { recursive: true });
    cpSync(staging, outDir, { recursive: true });
    console.log(`Exported ${written.length} pages and documents to ${outDir}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    await stop();
  }
}

if (import.meta.main) await main();
