// `npm run bench:webhooks`: N confirmed webhook subscribers (BENCH_SUBSCRIBERS, default 10,000), one
// notifying update, delivered to a local HTTPS receiver on 127.0.0.1 (a certificate from the test
// CA, reached as localhost) that answers 200 and counts. Runs Herald (the real server: its
// NotificationWorker and PostedSender 'webhook', concurrency 32) and two bare loops, each in its
// own process, posting the same number of signed JSON bodies with concurrency 32 to the same
// receiver: the baseline, a bare `fetch` loop, and a stricter one, node:https with a
// keep-alive agent. Alternately, BENCH_RUNS times each (default 3); prints each run and the
// medians: the ratio of each bare loop's time to Herald's, and the server's peak RSS.
// BENCH_BASELINE=0 runs Herald only; BENCH_SERVER_NODE_OPTIONS / BENCH_BASELINE_NODE_OPTIONS pass
// e.g. --cpu-prof to either side.
//
// `node bench/webhooks.ts baseline <fetch|https> <job.json> <concurrency> <ca.pem>` is a baseline process.
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import type { HeraldRun } from './fanout-run.ts';
import { median } from './stats.ts';

const CONCURRENCY = 32;
/** Every wait is bounded: a run that has not delivered everything by then is reported as such. */
const RUN_DEADLINE_MS = 60 * 60_000;

type Job = {
  targets: Array<{ url: string; secret: string }>;
  /** A body Herald sent, whose per-subscriber links the baseline fills in for each post. */
  body: { meta: { manage: string; unsubscribe: string } } & Record<string, unknown>;
};

if (process.argv[2] === 'baseline') await baseline(process.argv.slice(3));
else await main();

/**
 * The bare loop: per post, the body with the subscriber's links as JSON, its Standard Webhooks
 * signature under the subscriber's secret, and a POST on a kept-alive socket; a 2xx counts.
 * Prints the seconds it took and its peak RSS in MB.
 */
async function baseline([kind = 'https', file = '', concurrencyArg = '32', caFile = '']: string[]): Promise<void> {
  const { targets, body } = JSON.parse(readFileSync(file, 'utf8')) as Job;
  const concurrency = Number(concurrencyArg);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca: readFileSync(caFile) });
  // fetch trusts the test CA through NODE_EXTRA_CA_CERTS, set by the parent for this process.
  const viaFetch = async (url: string, payload: string, headers: Record<string, string>) => {
    const res = await fetch(url, { method: 'POST', headers, body: payload });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`answered ${res.status}`);
  };
  const viaHttps = (url: string, payload: string, headers: Record<string, string>) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(payload)) },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode && res.statusCode < 300 ? resolve() : reject(new Error(`answered ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const post = kind === 'fetch' ? viaFetch : viaHttps;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < targets.length) {
        const i = next++;
        const target = targets[i];
        if (!target) break;
        const links = { manage: `${body.meta.manage}-${i}`, unsubscribe: `${body.meta.unsubscribe}-${i}` };
        const payload = JSON.stringify({ ...body, meta: { ...body.meta, ...links } });
        const id = `msg_1_${i}`;
        const seconds = String(Math.floor(Date.now() / 1000));
        const key = Buffer.from(target.secret.slice('whsec_'.length), 'base64');
        const signature = createHmac('sha256', key).update(`${id}.${seconds}.${payload}`).digest('base64');
        await post(target.url, payload, {
          'content-type': 'application/json',
          'user-agent': 'bench',
          'webhook-id': id,
          'webhook-timestamp': seconds,
          'webhook-signature': `v1,${signature}`,
        });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  console.log(`${seconds.toFixed(3)} ${(process.resourceUsage().maxRSS / 1024).toFixed(0)}`);
}

async function main(): Promise<void> {
  const { loadConfig } = await import('../src/config.ts');
  const { startRuntime } = await import('../src/runtime.ts');
  const { timeFanout } = await import('./fanout-run.ts');
  const { testCertificates } = await import('../tests/helpers/test-ca.ts');

  const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
  const RUNS = Number(process.env.BENCH_RUNS ?? 3);
  const BASELINE = process.env.BENCH_BASELINE !== '0';
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-webhooks-'));
  const { caPem, keyPem, certPem } = testCertificates();
  const caFile = join(dir, 'test-ca.pem');
  writeFileSync(caFile, caPem);

  // The receiver only counts (and keeps the first body, checked with the standardwebhooks package).
  let received = 0;
  let rejected = 0;
  let first: { body: string; headers: Record<string, string> } | null = null;
  const receiver = createServer({ key: keyPem, cert: certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => first === null && chunks.push(c));
    req.on('end', () => {
      if (first === null)
        first = {
          body: Buffer.concat(chunks).toString(),
          headers: Object.fromEntries(
            ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-path'].map((h) => [
              h,
              h === 'x-path' ? (req.url ?? '') : String(req.headers[h]),
            ]),
          ),
        };
      received++;
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  const origin = `https://localhost:${typeof address === 'object' && address ? address.port : 0}`;

  const targets = Array.from({ length: SUBSCRIBERS }, (_, i) => ({
    url: `${origin}/hook/${i}`,
    secret: `whsec_${randomBytes(32).toString('base64')}`,
  }));
  // Seeded once into a template file; each run starts from a copy of it.
  const template = join(dir, 'template.db');
  // Every subscriber posts to the one local receiver, so Herald's per-host limit is its
  // concurrency here: set to the baseline's, so both keep the same number of posts in flight.
  const env = {
    HERALD_OUTBOUND_ALLOWLIST: 'localhost',
    HERALD_OUTBOUND_CA_FILE: caFile,
    HERALD_OUTBOUND_PER_HOST: String(CONCURRENCY),
  };
  const seed = await startRuntime(loadConfig({ ...env, DATABASE_PATH: template }), {
    scheduler: false,
    notifier: false,
  });
  const at = new Date().toISOString();
  for (let i = 0; i < SUBSCRIBERS; i += 1000) {
    await seed.db
      .insertInto('subscribers')
      .values(
        targets.slice(i, i + 1000).map((t) => ({
          channel: 'webhook' as const,
          email: null,
          push_endpoint: null,
          push_p256dh: null,
          push_auth: null,
          target_url: t.url,
          signing_secret: t.secret,
          incident_id: null,
          ended_at: null,
          all_components: 1 as const,
          confirmed_at: at,
          confirm_token_hash: null,
          confirm_expires_at: null,
          confirm_sent_at: null,
          disabled_at: null,
          disabled_reason: null,
          source: 'form' as const,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
  }
  await seed.stop();

  const runHerald = (run: number) =>
    timeFanout({
      dir,
      template,
      env,
      run,
      expected: SUBSCRIBERS,
      deadlineMs: RUN_DEADLINE_MS,
      delivered: () => received,
      resetCount: () => (received = 0),
    });

  /** Herald's first body, checked as a receiver would, is what the baseline posts (links filled in). */
  function writeJob(): string {
    if (!first) throw new Error('Herald delivered nothing to copy');
    const { body, headers } = first;
    const i = Number(/\/hook\/(\d+)$/.exec(headers['x-path'] ?? '')?.[1]);
    const secret = targets[i]?.secret;
    if (!secret) throw new Error(`a delivery to an unknown path ${headers['x-path']}`);
    try {
      new Webhook(secret).verify(body, headers);
    } catch (error) {
      rejected++;
      console.log(`  the first delivery's signature does not verify: ${(error as Error).message}`);
    }
    const file = join(dir, 'job.json');
    writeFileSync(file, JSON.stringify({ targets, body: JSON.parse(body) } satisfies Job));
    return file;
  }

  async function runBare(
    kind: 'fetch' | 'https',
    job: string,
  ): Promise<{ seconds: number; rssMb: number; delivered: number }> {
    received = 0;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [fileURLToPath(import.meta.url), 'baseline', kind, job, String(CONCURRENCY), caFile],
      {
        env: {
          ...process.env,
          NODE_OPTIONS: process.env.BENCH_BASELINE_NODE_OPTIONS ?? '',
          NODE_EXTRA_CA_CERTS: caFile,
        },
        maxBuffer: 1 << 20,
        timeout: RUN_DEADLINE_MS,
      },
    );
    const [seconds = NaN, rssMb = NaN] = stdout.trim().split(' ').map(Number);
    return { seconds, rssMb, delivered: received };
  }

  try {
    const herald: HeraldRun[] = [];
    type Bare = { seconds: number; rssMb: number; delivered: number };
    const bare: Bare[] = [];
    const fetched: Bare[] = [];
    let job: string | null = null;
    for (let run = 0; run < RUNS; run++) {
      const h = await runHerald(run);
      herald.push(h);
      console.log(
        `  run ${run + 1} herald: ${h.delivered}/${SUBSCRIBERS} delivered, last ${h.seconds.toFixed(2)} s after the post (${Math.round(h.delivered / h.seconds)} posts/s); peak RSS ${h.rssMb.toFixed(0)} MB; posting ${h.postMs.toFixed(1)} ms`,
      );
      if (BASELINE) {
        job ??= writeJob();
        const f = await runBare('fetch', job);
        fetched.push(f);
        console.log(
          `  run ${run + 1} bare fetch loop: ${f.delivered}/${SUBSCRIBERS} delivered, ${f.seconds.toFixed(2)} s (${Math.round(SUBSCRIBERS / f.seconds)} posts/s), peak RSS ${f.rssMb} MB; ratio ${(f.seconds / h.seconds).toFixed(2)}`,
        );
        const b = await runBare('https', job);
        bare.push(b);
        console.log(
          `  run ${run + 1} bare node:https loop: ${b.delivered}/${SUBSCRIBERS} delivered, ${b.seconds.toFixed(2)} s (${Math.round(SUBSCRIBERS / b.seconds)} posts/s), peak RSS ${b.rssMb} MB; ratio ${(b.seconds / h.seconds).toFixed(2)}`,
        );
      }
    }
    const heraldSeconds = median(herald.map((h) => h.seconds));
    console.log(
      `${SUBSCRIBERS} webhook subscribers, concurrency ${CONCURRENCY}, body of ${first === null ? 0 : Buffer.byteLength((first as { body: string }).body)} bytes, median of ${RUNS} alternating runs`,
    );
    console.log(
      `  herald: last delivery ${heraldSeconds.toFixed(2)} s after the post (${Math.round(SUBSCRIBERS / heraldSeconds)} posts/s)`,
    );
    if (BASELINE) {
      const fetchSeconds = median(fetched.map((f) => f.seconds));
      console.log(
        `  bare fetch loop: ${fetchSeconds.toFixed(2)} s (${Math.round(SUBSCRIBERS / fetchSeconds)} posts/s), peak RSS ${median(fetched.map((f) => f.rssMb)).toFixed(0)} MB`,
      );
      console.log(
        `  ratio (fetch time / herald time): median ${median(herald.map((h, i) => (fetched[i]?.seconds ?? 0) / h.seconds)).toFixed(2)}, each ${herald.map((h, i) => ((fetched[i]?.seconds ?? 0) / h.seconds).toFixed(2)).join(', ')} (aim ≥ 0.8)`,
      );
      const bareSeconds = median(bare.map((b) => b.seconds));
      console.log(
        `  bare node:https keep-alive loop: ${bareSeconds.toFixed(2)} s (${Math.round(SUBSCRIBERS / bareSeconds)} posts/s), peak RSS ${median(bare.map((b) => b.rssMb)).toFixed(0)} MB`,
      );
      console.log(
        `  ratio (node:https time / herald time): median ${median(herald.map((h, i) => (bare[i]?.seconds ?? 0) / h.seconds)).toFixed(2)}, each ${herald.map((h, i) => ((bare[i]?.seconds ?? 0) / h.seconds).toFixed(2)).join(', ')} (stricter than the aim's fetch)`,
      );
      if (rejected > 0) console.log('  Herald signature check FAILED (see above)');
    }
    console.log(
      `  server peak RSS: median ${median(herald.map((h) => h.rssMb)).toFixed(0)} MB, each ${herald.map((h) => h.rssMb.toFixed(0)).join(', ')} MB; posting latency: median ${median(herald.map((h) => h.postMs)).toFixed(1)} ms`,
    );
  } finally {
    receiver.closeAllConnections();
    receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
