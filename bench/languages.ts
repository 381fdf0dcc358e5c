// `npm run bench:languages`: the public page with one language and with all seven offered, on the
// real server (`npm start`'s script) on 127.0.0.1, from a separate load process (autocannon).
//  1. GET / (gzip) under 50 connections, one language and seven, alternated (aim: unchanged within
//     noise), and GET /ja/ with seven.
//  2. The page cache after every public page was read in every language: its entries and the
//     server's resident size, against one language.
//  3. Publish latency with seven languages: a write sent → the new words visible on / and on /ja/
//     (every language's hot pages are rendered again; aim p95 < 150 ms).
// Every loop is bounded in count and time.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ServerProcess, startServer } from '../src/cli/child-server.ts';
import { LANGUAGES } from '../src/i18n/languages.ts';
import { adminApi, ownerToken } from '../tests/helpers/seed-server.ts';
import { median } from './stats.ts';

const SECONDS = process.env.BENCH_SECONDS ?? '6';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WRITES = Number(process.env.BENCH_WRITES ?? 60);
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

type Api = ReturnType<typeof adminApi>;

async function rps(url: string): Promise<number> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [AUTOCANNON, '-c', '50', '-d', SECONDS, '-H', 'accept-encoding=gzip', '-j', url],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as { requests: { average: number }; non2xx: number; errors: number };
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

const rssMb = (server: ServerProcess) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function seed(server: ServerProcess, languages: string[]): Promise<{ api: Api; incident: string; code: string }> {
  const api = adminApi(server, await ownerToken(server));
  const ids: string[] = [];
  for (let i = 0; i < 20; i++)
    ids.push((await api<{ id: string }>('POST', '/components', { name: `Service ${i + 1}` })).id);
  for (let i = 0; i < 30; i++) {
    const past = await api<{ id: string }>('POST', '/incidents', { name: `Past ${i}`, body: 'Broke.', notify: false });
    await api('POST', `/incidents/${past.id}/resolve`, { body: 'Fixed.', notify: false });
  }
  const incident = await api<{ id: string; code: string }>('POST', '/incidents', {
    name: 'Elevated latency',
    body: 'We are investigating slow responses.',
    components: { [ids[0] ?? '']: 'degraded_performance' },
    notify: false,
  });
  await api('PATCH', '/settings', { languages, default_language: 'en' });
  return { api, incident: incident.id, code: incident.code };
}

/** Reads every public page in every offered language once, so the cache holds them all. */
async function readEverything(server: ServerProcess, languages: string[], code: string): Promise<void> {
  const pages = ['/', '/history', `/incidents/${code}`, '/widget', '/feed.atom', '/feed.rss', '/badge.svg'];
  for (const language of languages) {
    const prefix = language === 'en' ? '' : `/${language.toLowerCase()}`;
    for (const page of pages) {
      const answer = await fetch(`${server.url}${prefix}${page === '/' && prefix ? '/' : page}`);
      if (!answer.ok) throw new Error(`${prefix}${page}: ${answer.status}`);
      await answer.arrayBuffer();
    }
  }
}

async function cacheEntries(server: ServerProcess): Promise<number> {
  const token = await ownerToken(server);
  const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  return Number(/^herald_site_cache_entries (\d+)/m.exec(text)?.[1] ?? NaN);
}

async function publishLatency(server: ServerProcess, api: Api, incident: string, path: string): Promise<number[]> {
  const took: number[] = [];
  for (let i = 0; i < WRITES; i++) {
    const name = `Latency ${path} ${i}`;
    const sent = performance.now();
    await api('PATCH', `/incidents/${incident}`, { name });
    const deadline = performance.now() + 2000;
    while (!(await (await fetch(`${server.url}${path}`)).text()).includes(`${name}<`)) {
      if (performance.now() > deadline) throw new Error(`write ${i} not visible on ${path} within 2 s`);
    }
    took.push(performance.now() - sent);
  }
  return took.sort((a, b) => a - b);
}

const ALL = LANGUAGES.map((l) => l.code);
const dir = mkdtempSync(join(tmpdir(), 'herald-bench-languages-'));
const servers: ServerProcess[] = [];
try {
  const one = await startServer({ DATABASE_PATH: join(dir, 'one.db') });
  servers.push(one);
  const seven = await startServer({ DATABASE_PATH: join(dir, 'seven.db') });
  servers.push(seven);
  const a = await seed(one, ['en']);
  const b = await seed(seven, ALL);
  await readEverything(one, ['en'], a.code);
  await readEverything(seven, ALL, b.code);

  console.log(`GET / under 50 connections, ${ROUNDS} rounds of ${SECONDS} s alternated (medians):`);
  const oneRps: number[] = [];
  const sevenRps: number[] = [];
  const japanese: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    oneRps.push(await rps(`${one.url}/`));
    sevenRps.push(await rps(`${seven.url}/`));
    japanese.push(await rps(`${seven.url}/ja/`));
  }
  const m1 = median(oneRps);
  const m7 = median(sevenRps);
  console.log(`  one language: GET / ${Math.round(m1)} req/s`);
  console.log(
    `  seven languages: GET / ${Math.round(m7)} req/s (${(m7 / m1).toFixed(2)}× one), GET /ja/ ${Math.round(median(japanese))} req/s`,
  );

  console.log('page cache after every public page was read in every language:');
  console.log(`  one language: ${await cacheEntries(one)} entries, RSS ${rssMb(one).toFixed(0)} MB`);
  console.log(`  seven languages: ${await cacheEntries(seven)} entries, RSS ${rssMb(seven).toFixed(0)} MB`);

  for (const path of ['/', '/ja/']) {
    const took = await publishLatency(seven, b.api, b.incident, path);
    console.log(
      `publish latency with seven languages, write sent → visible on ${path}: p50 ${percentile(took, 50).toFixed(1)} ms, p95 ${percentile(took, 95).toFixed(1)} ms, max ${percentile(took, 100).toFixed(1)} ms (aim p95 < 150 ms)`,
    );
  }
} finally {
  for (const server of servers) await server.kill();
  rmSync(dir, { recursive: true, force: true });
}
