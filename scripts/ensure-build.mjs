// Builds the server when dist/ is missing or older than the sources (npm start, npm run export).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_ENTRY = join(ROOT, 'dist/server/entry.mjs');

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

export function ensureBuild() {
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const sources = ['src', 'db', 'public', 'astro.config.mjs', 'package.json', 'package-lock.json'].map((p) =>
    join(ROOT, p),
  );
  const built = existsSync(SERVER_ENTRY) ? statSync(SERVER_ENTRY).mtimeMs : 0;
  if (built !== 0 && Math.max(...sources.map(newest)) <= built) return;
  console.log('[herald] building the server (first start or sources changed)…');
  const astro = join(ROOT, 'node_modules/astro/bin/astro.mjs');
  const result = spawnSync(process.execPath, [astro, 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
