// `npm run bench:public`: the public site under load, from a separate load process (autocannon),
// against the real server (`npm start`'s script) on 127.0.0.1. Every loop is bounded in count and time.
//  1. GET / (gzip) under 50 connections: Herald, and a bare node:http server returning the same
//     bytes from memory, in the same run.
//  2. The same readers while one client posts 2 updates a second (aim: p99 ≤ 2× and throughput
//     within 10 % of readers alone), alternated with readers alone, twice.
//  3. Publish latency (write sent → new content on /, and API answered → visible) with no
//     history and with 500 incidents on the same day (aim: p95 < 100 ms at both).
//  4. Write throughput: 4 concurrent API writers at 500 incidents (aim ≥ 100 writes/s), with
//     nobody reading and with 4 visitors reading / (then each write waits for its render).
//  5. Memory: resident size with the render pool and with HERALD_RENDER_THREADS=0 (aim: ≤ 80 MB more).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, type ServerProcess, startServer } from '../src/cli/child-server.ts';
import { adminApi, ownerToken } from '../tests/helpers/seed-server.ts';
import { median } from './stats.ts';

const DURATION = process.env.BENCH_SECONDS ?? '6';
const CONNECTIONS = '50';
const WRITES = Number(process.env.BENCH_WRITES ?? 100);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 500);
const WRITERS = 4;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WRITE_SECONDS = Number(process.env.BENCH_WRITE_SECONDS ?? 5);
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

type Load = { rps: number; p99: number; errors: number; non2xx: number };

// Asynchronous: the bare server and the writer live in this process and must keep going meanwhile.
async function load(url: string, seconds = DURATION): Promise<Load> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [AUTOCANNON, '-c', CONNECTIONS, '-d', seconds, '-H', 'accept-encoding=gzip', '-j', url],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const r = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p99: number };
    errors: number;
    non2xx: number;
  };
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const rssMb = (server: ServerProcess) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const show = (l: Load) => `${Math.round(l.rps)} req/s, p99 ${l.p99} ms, errors ${l.errors}, non-2xx ${l.non2xx}`;

type Api = ReturnType<typeof adminApi>;

async function seed(server: ServerProcess): Promise<{ api: Api; ids: string[]; incident: string }> {
  const api = adminApi(server, await ownerToken(server));
  const group = await api<{ id: string }>('POST', '/component-groups', { name: 'Platform' });
  const ids: string[] = [];
  for (let i = 0; i < 20; i++)
    ids.push(
      (
        await api<{ id: string }>('POST', '/components', {
          name: `Service ${i + 1}`,
          group_id: i < 10 ? group.id : null,
        })
      ).id,
    );
  const incident = await api<{ id: string }>('POST', '/incidents', {
    name: 'Elevated latency',
    body: 'We are investigating slow responses.',
    components: { [ids[0] ?? '']: 'degraded_performance' },
    notify: false,
  });
  return { api, ids, incident: incident.id };
}

/** Renames the incident `count` times; each is visible once GET / shows the new name. */
async function publishLatency(
  server: ServerProcess,
  api: Api,
  incident: string,
  label: string,
  count: number,
): Promise<void> {
  const fromSent: number[] = [];
  const fromAnswer: number[] = [];
  let firstRead = 0;
  for (let i = 0; i < count; i++) {
    const name = `Elevated latency ${label} #${i}`;
    const sent = performance.now();
    await api('PATCH', `/incidents/${incident}`, { name });
    const answered = performance.now();
    const deadline = answered + 2000;
    for (let reads = 1; ; reads++) {
      const html = await (await fetch(`${server.url}/`)).text();
      if (html.includes(`${name}<`)) {
        if (reads === 1) firstRead++;
        break;
      }
      if (performance.now() > deadline) throw new Error(`write ${i} not visible within 2 s`);
    }
    const visible = performance.now();
    fromSent.push(visible - sent);
    fromAnswer.push(visible - answered);
  }
  fromSent.sort((a, b) => a - b);
  fromAnswer.sort((a, b) => a - b);
  console.log(
    `  ${label}: write sent → visible p50 ${ms(percentile(fromSent, 50))}, p95 ${ms(percentile(fromSent, 95))}, max ${ms(percentile(fromSent, 100))}; ` +
      `API answered → visible p50 ${ms(percentile(fromAnswer, 50))}, p95 ${ms(percentile(fromAnswer, 95))}; on the first read after the answer ${firstRead}/${count} (aim p95 < 100 ms)`,
  );
}

/** 500 incidents started today, resolved, half of them on a component: a heavy day. */
async function addHistory(api: Api, ids: string[], count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let i = next++; i < count; i = next++) {
        const created = await api<{ id: string }>('POST', '/incidents', {
          name: `Past incident ${i}`,
          body: `Something broke (${i}).`,
          components: i % 2 === 0 ? { [ids[i % ids.length] ?? '']: 'partial_outage' } : {},
          notify: false,
        });
        await api('POST', `/incidents/${created.id}/resolve`, { body: 'Fixed.', notify: false });
      }
    }),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
const server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
const others: ServerProcess[] = [];
try {
  const { api, ids, incident } = await seed(server);

  // 1. The bare server with the same bytes Herald answers / with.
  const sample = await fetch(`${server.url}/`, { headers: { 'accept-encoding': 'gzip' } });
  const bytes = Buffer.from(await sample.arrayBuffer());
  const headers = Object.fromEntries(
    [...sample.headers].filter(
      ([k]) => !['content-length', 'connection', 'keep-alive', 'date', 'transfer-encoding'].includes(k),
    ),
  );
  const barePort = await freePort();
  const bare = createServer((_req, res) => {
    res.writeHead(200, { ...headers, 'content-length': bytes.byteLength });
    res.end(bytes);
  }).listen(barePort, '127.0.0.1');
  const baseline = await load(`http://127.0.0.1:${barePort}/`);
  bare.close();
  console.log(`GET / (gzip, ${CONNECTIONS} connections, ${DURATION} s each, load from a separate process)`);
  console.log(`  bare server:            ${Math.round(baseline.rps)} req/s, p99 ${baseline.p99} ms`);
  // Readers alone and with a writer posting 2 updates a second, alternated five times so that
  // noise from other processes on the machine shows as a difference between rounds; the medians
  // are the result. A discarded warm-up first: the first load on a fresh server measures its JIT.
  await load(`${server.url}/`, '3');
  let posted = 0;
  const p99Ratios: number[] = [];
  const throughputChanges: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const readers = await load(`${server.url}/`);
    let writing = true;
    const writerDeadline = Date.now() + Number(DURATION) * 1000 + 5000;
    const writer = (async () => {
      for (let n = 0; writing && Date.now() < writerDeadline && n < 200; n++) {
        const started = Date.now();
        await api('POST', `/incidents/${incident}/updates`, {
          status: 'identified',
          body: `Update ${posted}: still looking.`,
          notify: false,
        });
        posted++;
        await new Promise((r) => setTimeout(r, Math.max(0, 500 - (Date.now() - started))));
      }
    })();
    const withWriter = await load(`${server.url}/`);
    writing = false;
    await writer;
    console.log(
      `  round ${round}: readers only ${show(readers)}; ratio herald / bare ${(readers.rps / baseline.rps).toFixed(2)} (aim ≥ 0.7)`,
    );
    console.log(`  round ${round}: with a writer ${show(withWriter)}`);
    p99Ratios.push(withWriter.p99 / readers.p99);
    throughputChanges.push((withWriter.rps / readers.rps - 1) * 100);
    console.log(
      `  round ${round}: with writer / readers only: p99 ${(withWriter.p99 / readers.p99).toFixed(2)}× (aim ≤ 2), throughput ${((withWriter.rps / readers.rps - 1) * 100).toFixed(1)} % (aim within 10 %)`,
    );
  }
  console.log(
    `  median of ${ROUNDS} rounds: p99 with a writer ${median(p99Ratios).toFixed(2)}× readers only (aim ≤ 2), throughput ${median(throughputChanges).toFixed(1)} % (aim within 10 %)`,
  );
  console.log(`  (${posted} updates posted in all)`);

  // 3. Publish latency, with no history and with a heavy day.
  console.log(
    `publish latency over ${WRITES} writes each (write sent → visible includes the write; its answer waits for the render)`,
  );
  await publishLatency(server, api, incident, 'no history', WRITES);
  const seeding = performance.now();
  await addHistory(api, ids, HISTORY);
  console.log(
    `  (added ${HISTORY} resolved incidents today in ${((performance.now() - seeding) / 1000).toFixed(1)} s, 4 writers)`,
  );
  await publishLatency(server, api, incident, `${HISTORY} incidents today`, WRITES);

  // 4. Four concurrent writers, each posting updates to an open incident of its own; then the
  //    same while 4 visitors read / (each every 10 ms), so each write waits for the home page's render.
  const open = await Promise.all(
    Array.from({ length: WRITERS }, (_, w) =>
      api<{ id: string }>('POST', '/incidents', {
        name: `Writer ${w} incident`,
        body: 'Open.',
        components: {},
        notify: false,
      }),
    ),
  );
  for (const reading of [false, true]) {
    // Nobody reading: past the cache's 2 s "in use" spell of the last read of /.
    if (!reading) await new Promise((r) => setTimeout(r, 2500));
    let writes = 0;
    let reads = 0;
    const writeStart = performance.now();
    const writeEnd = writeStart + WRITE_SECONDS * 1000;
    const readers = Array.from({ length: reading ? 4 : 0 }, async () => {
      while (performance.now() < writeEnd && reads < 50_000) {
        await (await fetch(`${server.url}/`, { headers: { 'accept-encoding': 'gzip' } })).arrayBuffer();
        reads++;
        await new Promise((r) => setTimeout(r, 10));
      }
    });
    await Promise.all(
      open.map(async (o, w) => {
        for (let i = 0; performance.now() < writeEnd && i < 5000; i++) {
          await api('POST', `/incidents/${o.id}/updates`, {
            status: 'identified',
            body: `Writer ${w} update ${i}.`,
            notify: false,
          });
          writes++;
        }
      }),
    );
    await Promise.all(readers);
    const writeSeconds = (performance.now() - writeStart) / 1000;
    console.log(
      `write throughput, ${WRITERS} concurrent API writers at ${HISTORY} incidents${reading ? `, 4 visitors reading / (${reads} reads)` : ', nobody reading'}: ` +
        `${(writes / writeSeconds).toFixed(0)} writes/s (${writes} in ${writeSeconds.toFixed(1)} s; aim ≥ 100)`,
    );
  }

  // 5. Memory: two fresh servers on the same database, the same pages asked of each.
  const rss: Record<string, number> = {};
  for (const threads of ['1', '0']) {
    const fresh = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), HERALD_RENDER_THREADS: threads });
    others.push(fresh);
    for (let round = 0; round < 3; round++)
      for (const path of ['/', '/api/v2/summary.json', '/history', '/feed.atom', '/feed.rss'])
        await fetch(`${fresh.url}${path}`);
    await new Promise((r) => setTimeout(r, 1000));
    rss[threads] = rssMb(fresh);
    await fresh.kill();
  }
  console.log(
    `resident memory, fresh server after the same pages: ${rss['1']?.toFixed(0)} MB with one render thread, ${rss['0']?.toFixed(0)} MB with HERALD_RENDER_THREADS=0: ` +
      `the pool adds ${((rss['1'] ?? 0) - (rss['0'] ?? 0)).toFixed(0)} MB (aim ≤ 80)`,
  );
} finally {
  await server.kill();
  for (const other of others) await other.kill().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
