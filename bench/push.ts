// `npm run bench:push`: N push subscriptions (BENCH_SUBSCRIBERS, default 100,000), one update,
// delivered to a local HTTPS push receiver on 127.0.0.1. Runs Herald and a bare web-push loop with
// the same concurrency (its own process) alternately, BENCH_RUNS times each (default 3), and
// prints each run and the medians: the ratio of the bare loop's time to Herald's, and the
// server's peak RSS. BENCH_BASELINE=0 runs Herald only.
import { execFile } from 'node:child_process';
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { startRuntime } from '../src/runtime.ts';
import { loopbackCertificate } from '../tests/helpers/loopback-certificate.ts';
import { type HeraldRun, timeFanout } from './fanout-run.ts';
import { median } from './stats.ts';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIBERS ?? process.env.BENCH_SUBSCRIPTIONS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BASELINE = process.env.BENCH_BASELINE !== '0';
const CONCURRENCY = 50;
/** Every wait is bounded: a run that has not delivered everything by then is reported as such. */
const RUN_DEADLINE_MS = 60 * 60_000;
const dir = mkdtempSync(join(tmpdir(), 'herald-bench-push-'));
const { key, cert, certFile } = loopbackCertificate(dir);

// The receiver only counts: decrypting here would make it the bottleneck (tests decrypt).
let received = 0;
const receiver = createServer({ key, cert }, (req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.writeHead(201).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const address = receiver.address();
const origin = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

// Browsers' keys, made here; the subscriptions go straight into the database file.
const subscriptions = Array.from({ length: SUBSCRIPTIONS }, (_, i) => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint: `${origin}/push/${i}`,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  };
});
// Seeded once into a template file; each run starts from a copy of it.
const template = join(dir, 'template.db');
const env = { HERALD_PUSH_HOSTS: '127.0.0.1', NODE_EXTRA_CA_CERTS: certFile };
const seed = await startRuntime(loadConfig({ ...env, DATABASE_PATH: template }), { scheduler: false, notifier: false });
const at = new Date().toISOString();
for (let i = 0; i < SUBSCRIPTIONS; i += 1000) {
  await seed.db
    .insertInto('subscribers')
    .values(
      subscriptions.slice(i, i + 1000).map((s) => ({
        channel: 'push' as const,
        email: null,
        push_endpoint: s.endpoint,
        push_p256dh: s.keys.p256dh,
        push_auth: s.keys.auth,
        all_components: 1 as const,
        confirmed_at: at,
        confirm_token_hash: null,
        confirm_expires_at: null,
        confirm_sent_at: null,
        disabled_at: null,
        source: 'browser' as const,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
}
const vapid = seed.vapid;
await seed.stop();

const runHerald = (run: number) =>
  timeFanout({
    dir,
    template,
    env,
    run,
    expected: SUBSCRIPTIONS,
    deadlineMs: RUN_DEADLINE_MS,
    delivered: () => received,
    resetCount: () => (received = 0),
  });

const job = join(dir, 'job.json');
const payload = JSON.stringify({
  title: 'Herald Status: Elevated error rates',
  body: 'Investigating — We are investigating elevated error rates on the API.',
  url: 'http://localhost:4321/incidents/abcdefgh',
  tag: 'incident-x',
  icon: '/favicon.svg',
  timestamp: Date.now(),
});
writeFileSync(job, JSON.stringify({ subscriptions, payload, vapid: { subject: 'mailto:status@localhost', ...vapid } }));

async function runBare(): Promise<number> {
  received = 0;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [fileURLToPath(new URL('push-baseline.ts', import.meta.url)), job, String(CONCURRENCY), certFile],
    { maxBuffer: 1 << 20, timeout: RUN_DEADLINE_MS },
  );
  return Number(stdout.trim());
}

try {
  const herald: HeraldRun[] = [];
  const bare: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const h = await runHerald(run);
    herald.push(h);
    console.log(
      `  run ${run + 1} herald: ${h.delivered}/${SUBSCRIPTIONS} delivered, last ${h.seconds.toFixed(1)} s after the post (${Math.round(h.delivered / h.seconds)} pushes/s); peak RSS ${h.rssMb.toFixed(0)} MB; posting ${h.postMs.toFixed(1)} ms`,
    );
    if (BASELINE) {
      const b = await runBare();
      bare.push(b);
      console.log(
        `  run ${run + 1} bare web-push loop: ${b.toFixed(1)} s (${Math.round(SUBSCRIPTIONS / b)} pushes/s); ratio ${(b / h.seconds).toFixed(2)}`,
      );
    }
  }
  const heraldSeconds = median(herald.map((h) => h.seconds));
  console.log(`${SUBSCRIPTIONS} push subscriptions, concurrency ${CONCURRENCY}, median of ${RUNS} alternating runs`);
  console.log(
    `  herald: last delivery ${heraldSeconds.toFixed(1)} s after the post (${Math.round(SUBSCRIPTIONS / heraldSeconds)} pushes/s)`,
  );
  if (BASELINE) {
    const bareSeconds = median(bare);
    console.log(
      `  bare web-push loop: ${bareSeconds.toFixed(1)} s (${Math.round(SUBSCRIPTIONS / bareSeconds)} pushes/s)`,
    );
    console.log(
      `  ratio (bare time / herald time): median ${median(herald.map((h, i) => (bare[i] ?? 0) / h.seconds)).toFixed(2)}, each ${herald.map((h, i) => ((bare[i] ?? 0) / h.seconds).toFixed(2)).join(', ')} (aim ≥ 0.9)`,
    );
  }
  console.log(
    `  server peak RSS: median ${median(herald.map((h) => h.rssMb)).toFixed(0)} MB, each ${herald.map((h) => h.rssMb.toFixed(0)).join(', ')} MB; posting latency: median ${median(herald.map((h) => h.postMs)).toFixed(1)} ms`,
  );
} finally {
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
}
