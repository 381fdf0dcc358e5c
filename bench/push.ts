// `npm run bench:push`: 100,000 push subscriptions, one update, delivered to a local HTTPS push
// receiver. Prints the time until the last delivery as a ratio to a bare web-push loop with the
// same concurrency (separate process, same run), and the server's peak RSS.
import { execFile, execFileSync } from 'node:child_process';
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startServer } from '../src/cli/child-server.ts';
import { loadConfig } from '../src/config.ts';
import { startRuntime } from '../src/runtime.ts';
import { adminApi, ownerToken } from '../tests/helpers/seed-server.ts';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 100_000);
const CONCURRENCY = 50;
const dir = mkdtempSync(join(tmpdir(), 'herald-bench-push-'));
const keyFile = join(dir, 'key.pem');
const certFile = join(dir, 'cert.pem');
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });

// The receiver only counts: decrypting here would make it the bottleneck (tests decrypt).
let received = 0;
const receiver = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
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
  return { endpoint: `${origin}/push/${i}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
});
const env = { DATABASE_PATH: join(dir, 'herald.db'), HERALD_PUSH_HOSTS: '127.0.0.1', NODE_EXTRA_CA_CERTS: certFile };
const seed = await startRuntime(loadConfig(env), { scheduler: false, notifier: false });
const at = new Date().toISOString();
for (let i = 0; i < SUBSCRIPTIONS; i += 1000) {
  await seed.db
    .insertInto('subscribers')
    .values(subscriptions.slice(i, i + 1000).map((s) => ({
      channel: 'push' as const, email: null, push_endpoint: s.endpoint, push_p256dh: s.keys.p256dh, push_auth: s.keys.auth, all_components: 1 as const,
      confirmed_at: at, confirm_token_hash: null, confirm_expires_at: null, confirm_sent_at: null, disabled_at: null, source: 'browser' as const, created_at: at, updated_at: at,
    })))
    .execute();
}
const vapid = seed.vapid;
await seed.stop();

const server = await startServer(env);
try {
  const api = adminApi(server, await ownerToken(server));
  received = 0;
  const posted = performance.now();
  await api('POST', '/incidents', { name: 'Elevated error rates', impact: 'major', body: 'We are investigating elevated error rates on the API.', components: {}, notify: true });
  const deadline = Date.now() + 30 * 60_000;
  while (received < SUBSCRIPTIONS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const heraldSeconds = (performance.now() - posted) / 1000;
  const rss = server.peakRssMb();
  await server.kill();

  const job = join(dir, 'job.json');
  const payload = JSON.stringify({ title: 'Herald Status: Elevated error rates', body: 'Investigating — We are investigating elevated error rates on the API.', url: 'http://localhost:4321/incidents/abcdefgh', tag: 'incident-x', icon: '/favicon.svg', timestamp: Date.now() });
  writeFileSync(job, JSON.stringify({ subscriptions, payload, vapid: { subject: 'mailto:status@localhost', ...vapid } }));
  received = 0;
  const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(new URL('push-baseline.ts', import.meta.url)), job, String(CONCURRENCY), certFile], { maxBuffer: 1 << 20 });
  const baselineSeconds = Number(stdout.trim());
  console.log(`${SUBSCRIPTIONS} push subscriptions, concurrency ${CONCURRENCY}`);
  console.log(`  herald: last delivery ${heraldSeconds.toFixed(1)} s after the post (${Math.round(SUBSCRIPTIONS / heraldSeconds)} pushes/s)`);
  console.log(`  bare web-push loop: ${baselineSeconds.toFixed(1)} s (${Math.round(SUBSCRIPTIONS / baselineSeconds)} pushes/s)`);
  console.log(`  ratio (bare time / herald time): ${(baselineSeconds / heraldSeconds).toFixed(2)} (aim ≥ 0.8); server peak RSS ${rss.toFixed(0)} MB`);
} finally {
  await server.kill();
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
}
