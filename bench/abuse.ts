// `npm run bench:abuse`: what abuse costs everyone else. On the real server (temporary database),
// GET / and an API read are timed from 8 closed-loop clients on quiet ground, then again while an
// attack mix runs: four 100 MB bodies streamed at once (sign-in form, public subscribe API, setup
// form, settings form with a session), 40 parallel wrong-password sign-ins for one account, and
// 200 subscriptions with 200 different emails from one address. Prints the latencies, the ratio,
// the server's peak RSS, and how the server answered each part of the attack. Bounded in time.
// BENCH_SECONDS sets the quiet run's length; ABUSE_PARTS=big,signin,subscribe (the default: all)
// runs only some parts of the attack, to tell which one costs what.
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/cli/child-server.ts';
import { OWNER } from '../tests/helpers/console.ts';
import { adminApi, ownerToken } from '../tests/helpers/seed-server.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LOOPS = 8;
const BIG_BODY_BYTES = 100 * 1024 * 1024;
const SIGN_INS = 40;
const SUBSCRIBES = 200;
const SUBSCRIBE_CONCURRENCY = 20;
/** No part of the attack may run longer than this; the client gives up and says so. */
const ATTACK_CAP_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** The whole run, server start included: past it, the server is killed and the run fails. */
const WATCHDOG_MS = 6 * 60_000;
const PARTS = new Set((process.env.ABUSE_PARTS ?? 'big,signin,subscribe').split(',').map((p) => p.trim()));

type Answer = { status: number; headers: IncomingHttpHeaders; body: string };
type Sample = { at: number; ms: number; status: number };

const dir = mkdtempSync(join(tmpdir(), 'herald-abuse-'));
const mailDir = join(dir, 'mail');
const server = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), HERALD_MAIL_DIR: mailDir });
const watchdog = setTimeout(() => {
  console.error(`bench:abuse did not finish within ${WATCHDOG_MS / 1000} s; stopping`);
  process.kill(server.pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  process.exit(2);
}, WATCHDOG_MS);
const { hostname, port } = new URL(server.url);
const loadAgent = new Agent({ keepAlive: true, maxSockets: LOOPS });

/** One request over node:http (no decompression on this side: the bytes are what a client gets). */
function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; agent?: Agent | false } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        agent: options.agent ?? false,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
};
const mailCount = () => (existsSync(mailDir) ? readdirSync(mailDir).filter((f) => f.endsWith('.eml')).length : 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 8 loops, each alternating GET / (gzip) and the API read, until `stop()` says so (and never past the cap). */
async function measure(token: string, stop: () => boolean, capMs: number): Promise<{ home: Sample[]; api: Sample[] }> {
  const home: Sample[] = [];
  const api: Sample[] = [];
  const started = performance.now();
  const loop = async (n: number) => {
    for (let i = n; !stop() && performance.now() - started < capMs; i++) {
      const isHome = i % 2 === 0;
      const at = performance.now();
      let status = 0;
      try {
        status = (
          isHome
            ? await send('/', { headers: { 'accept-encoding': 'gzip' }, agent: loadAgent })
            : await send('/api/admin/incidents?per_page=5', {
                headers: { authorization: `Bearer ${token}` },
                agent: loadAgent,
              })
        ).status;
      } catch {
        status = 0;
      }
      (isHome ? home : api).push({ at, ms: performance.now() - at, status });
    }
  };
  await Promise.all(Array.from({ length: LOOPS }, (_, n) => loop(n)));
  return { home, api };
}

/** 100 MB from a generator, 64 KiB at a time: the same chunk again and again, never the whole body. */
function* bigBody(prefix: string): Generator<Buffer> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  yield Buffer.from(prefix);
  for (let sent = prefix.length; sent < BIG_BODY_BYTES; sent += chunk.length) yield chunk;
}

type BigOutcome = { target: string; answer: string; sentMb: number; seconds: number };

/** Streams one 100 MB body (chunked) and tells how it ended: an answer, a closed connection, or our give-up. */
async function streamBig(
  target: string,
  path: string,
  headers: Record<string, string>,
  prefix: string,
): Promise<BigOutcome> {
  const started = performance.now();
  let sent = 0;
  let answer = '';
  let closed = false;
  const req = request({
    hostname,
    port,
    path,
    method: 'POST',
    agent: false,
    headers: { ...headers, 'transfer-encoding': 'chunked' },
  });
  const finished = new Promise<void>((resolve) => {
    req.on('response', (res) => {
      answer = `${res.statusCode}`;
      res.resume();
      res.on('end', resolve);
      res.on('error', resolve);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      closed = true;
      if (!answer) answer = `connection closed (${error.code ?? error.message})`;
      resolve();
    });
    req.on('close', () => {
      closed = true;
      resolve();
    });
  });
  for (const chunk of bigBody(prefix)) {
    if (answer || closed || performance.now() - started > ATTACK_CAP_MS) break;
    sent += chunk.length;
    if (!req.write(chunk)) await Promise.race([once(req, 'drain'), finished, sleep(ATTACK_CAP_MS)]);
  }
  if (!answer && !closed && performance.now() - started <= ATTACK_CAP_MS) req.end();
  await Promise.race([finished, sleep(Math.max(0, ATTACK_CAP_MS - (performance.now() - started)) + 5_000)]);
  if (!answer) answer = closed ? 'connection closed, no answer' : `no answer within ${ATTACK_CAP_MS / 1000} s`;
  req.destroy();
  const whole = sent >= BIG_BODY_BYTES ? ' (whole body sent)' : '';
  return {
    target,
    answer: `${answer}${whole}`,
    sentMb: sent / 1024 / 1024,
    seconds: (performance.now() - started) / 1000,
  };
}

async function signInAttempts(): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: SIGN_INS }, async (_, i) => {
      let key: string;
      try {
        key = String(
          (
            await send('/api/admin/session', {
              method: 'POST',
              headers: { origin: server.url, 'content-type': 'application/json' },
              body: JSON.stringify({ email: OWNER.email, password: `wrong password ${i}` }),
            })
          ).status,
        );
      } catch (error) {
        key = `error (${(error as Error).message})`;
      }
      statuses[key] = (statuses[key] ?? 0) + 1;
    }),
  );
  return statuses;
}

async function subscribeFlood(): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < SUBSCRIBES) {
      const i = next++;
      let key: string;
      try {
        key = String(
          (
            await send('/api/public/subscriptions', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ email: `flood-${i}@example.com` }),
            })
          ).status,
        );
      } catch (error) {
        key = `error (${(error as Error).message})`;
      }
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: SUBSCRIBE_CONCURRENCY }, worker));
  return statuses;
}

const fmt = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a');
const counts = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k}×${v}`)
    .join(', ');

try {
  const token = await ownerToken(server);
  const api = adminApi(server, token);
  const ids: string[] = [];
  for (let i = 0; i < 10; i++)
    ids.push((await api<{ id: string }>('POST', '/components', { name: `Service ${i + 1}` })).id);
  await api('POST', '/incidents', {
    name: 'Elevated latency',
    body: 'We are investigating slow responses.',
    components: { [ids[0] ?? '']: 'degraded_performance' },
    notify: false,
  });
  const signIn = await send('/api/admin/session', {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  if (signIn.status !== 201) throw new Error(`signing in answered ${signIn.status}: ${signIn.body}`);
  const cookie = (signIn.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';

  // Warm the page cache and the connections, then the quiet run.
  await measure(token, () => false, 1_000);
  const quiet = await measure(token, () => false, SECONDS * 1000);
  const rssBefore = server.peakRssMb();
  const mailsBefore = mailCount();

  // The attack, and the same clients beside it until it is over (at least SECONDS, at most the cap).
  const attackStarted = performance.now();
  let attackOver = Infinity;
  const form = { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' };
  const attack = Promise.all([
    PARTS.has('big')
      ? Promise.all([
          streamBig(
            'POST /admin/login (form)',
            '/admin/login',
            form,
            `email=${encodeURIComponent(OWNER.email)}&password=`,
          ),
          streamBig(
            'POST /api/public/subscriptions (JSON)',
            '/api/public/subscriptions',
            { 'content-type': 'application/json' },
            '{"email":"big@example.com","x":"',
          ),
          streamBig('POST /setup (form)', '/setup?token=none', form, 'email=x&password='),
          streamBig('POST /admin/settings (form, signed in)', '/admin/settings', { ...form, cookie }, 'page_name='),
        ])
      : Promise.resolve([] as BigOutcome[]),
    PARTS.has('signin') ? signInAttempts() : Promise.resolve({} as Record<string, number>),
    PARTS.has('subscribe') ? subscribeFlood() : Promise.resolve({} as Record<string, number>),
  ]).finally(() => (attackOver = performance.now()));
  const loud = await measure(
    token,
    () => performance.now() - attackStarted >= SECONDS * 1000 && attackOver !== Infinity,
    ATTACK_CAP_MS + 10_000,
  );
  const [bigs, signIns, subscribes] = await attack;
  // Mail may be written just after the answer: wait until the count stops moving (at most 5 s).
  let mails = mailCount();
  for (let i = 0; i < 10; i++) {
    await sleep(500);
    if (mailCount() === mails) break;
    mails = mailCount();
  }
  const rssAfter = server.peakRssMb();
  const alive = (await send('/').catch(() => ({ status: 0 }))).status === 200;

  // Only requests started while the attack was still going count as "under attack".
  const during = (samples: Sample[]) => samples.filter((s) => s.at < attackOver);
  const rows = [
    { name: 'GET / (gzip)', quiet: quiet.home, loud: during(loud.home) },
    { name: 'GET /api/admin/incidents', quiet: quiet.api, loud: during(loud.api) },
  ];
  console.log(
    `\nbench:abuse — attack parts: ${[...PARTS].join(', ')}; ${LOOPS} closed-loop clients; quiet run ${SECONDS} s; attack lasted ${((attackOver - attackStarted) / 1000).toFixed(1)} s`,
  );
  console.log(
    `${'request'.padEnd(26)}${'p50 quiet'.padStart(12)}${'p95 quiet'.padStart(12)}${'p50 attack'.padStart(12)}${'p95 attack'.padStart(12)}${'p95 ratio'.padStart(11)}${'n quiet/attack'.padStart(16)}${'  failed (attack)'}`,
  );
  const ratios: number[] = [];
  for (const row of rows) {
    const q = row.quiet.map((s) => s.ms);
    const l = row.loud.map((s) => s.ms);
    const ratio = percentile(l, 95) / percentile(q, 95);
    ratios.push(ratio);
    const failed = row.loud.filter((s) => s.status !== 200).length;
    console.log(
      `${row.name.padEnd(26)}${fmt(percentile(q, 50)).padStart(12)}${fmt(percentile(q, 95)).padStart(12)}${fmt(percentile(l, 50)).padStart(12)}${fmt(percentile(l, 95)).padStart(12)}` +
        `${(Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a').padStart(11)}${`${q.length}/${l.length}`.padStart(16)}  ${failed}`,
    );
  }
  const growth = rssAfter - rssBefore;
  console.log(
    `server peak RSS: before attack ${rssBefore.toFixed(0)} MB, after ${rssAfter.toFixed(0)} MB, growth ${growth.toFixed(0)} MB`,
  );
  if (PARTS.has('signin'))
    console.log(
      `${SIGN_INS} wrong-password sign-ins for one account: ${signIns['429'] ?? 0} got 429, ${signIns['401'] ?? 0} got 401 (all: ${counts(signIns)})`,
    );
  if (PARTS.has('subscribe'))
    console.log(
      `${SUBSCRIBES} subscriptions from one address: ${subscribes['202'] ?? 0} accepted (202), ${subscribes['429'] ?? 0} limited (429) (all: ${counts(subscribes)}); confirmation mails written: ${mails - mailsBefore}`,
    );
  if (PARTS.has('big')) console.log('100 MB bodies (chunked):');
  for (const b of bigs)
    console.log(
      `  ${b.target.padEnd(40)} → ${b.answer}, after ${b.sentMb.toFixed(1)} MB sent, ${b.seconds.toFixed(1)} s`,
    );
  console.log(`server alive after: ${alive}`);
  const latencyMet = ratios.every((r) => Number.isFinite(r) && r <= 2);
  const rssMet = growth < 50;
  console.log('aim: p95 under attack ≤ 2× without; RSS growth < 50 MB');
  console.log(
    `  p95 ≤ 2×: ${latencyMet ? 'met' : 'NOT met'} (${ratios.map((r) => `${r.toFixed(2)}×`).join(', ')}); RSS growth < 50 MB: ${rssMet ? 'met' : 'NOT met'} (${growth.toFixed(0)} MB)`,
  );
  if (!latencyMet || !rssMet || !alive) process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  loadAgent.destroy();
  // A graceful stop, as an operator's would be (and so a --cpu-prof of the server is written).
  if ((await server.stop()) !== 0) await server.kill();
  rmSync(dir, { recursive: true, force: true });
}
