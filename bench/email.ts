// `npm run bench:email`: 100,000 confirmed subscribers, one notifying update, delivered to a local
// SMTP sink. Prints the time until the last delivery as a ratio to a bare nodemailer pool loop
// sending the same mail to the same sink with the same connection count (separate process, same
// run), the server's peak RSS, and the posting request's latency.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { startServer } from '../src/cli/child-server.ts';
import { adminApi, ownerToken } from '../tests/helpers/seed-server.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100_000);
const CONNECTIONS = 5;
const dir = mkdtempSync(join(tmpdir(), 'herald-bench-email-'));

let delivered = 0;
let firstRaw: Buffer | null = null;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => firstRaw === null && chunks.push(c));
    stream.on('end', () => {
      if (firstRaw === null && session.envelope.rcptTo[0]?.address.startsWith('sub')) firstRaw = Buffer.concat(chunks);
      delivered += session.envelope.rcptTo.length;
      callback();
    });
  },
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const sinkAddress = sink.server.address();
const smtpUrl = `smtp://127.0.0.1:${typeof sinkAddress === 'object' && sinkAddress ? sinkAddress.port : 0}`;


const server = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), SMTP_URL: smtpUrl, SMTP_CONNECTIONS: String(CONNECTIONS), ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}) });
try {
  const api = adminApi(server, await ownerToken(server));
  const component = await api<{ id: string }>('POST', '/components', { name: 'API' });
  for (let start = 0; start < SUBSCRIBERS; start += 50_000) {
    const csv = Array.from({ length: Math.min(50_000, SUBSCRIBERS - start) }, (_, i) => `sub${start + i}@example.com`).join('\n');
    await api('POST', '/subscribers/import', { csv });
  }
  const rssAfterImport = server.peakRssMb();
  delivered = 0;
  const posted = performance.now();
  await api('POST', '/incidents', { name: 'Elevated error rates', body: 'We are investigating elevated error rates on the API. '.repeat(5), components: { [component.id]: 'partial_outage' }, notify: true });
  const postLatency = performance.now() - posted;
  const deadline = Date.now() + 30 * 60_000;
  while (delivered < SUBSCRIBERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const heraldSeconds = (performance.now() - posted) / 1000;
  const rss = server.peakRssMb();
  await server.kill();

  const rawFile = join(dir, 'mail.eml');
  writeFileSync(rawFile, firstRaw ?? Buffer.from('Subject: x\r\n\r\nx'));
  delivered = 0;
  const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(new URL('email-baseline.ts', import.meta.url)), smtpUrl, String(SUBSCRIBERS), String(CONNECTIONS), rawFile]);
  const baselineSeconds = Number(stdout.trim());

  console.log(`${SUBSCRIBERS} subscribers, ${CONNECTIONS} SMTP connections, mail of ${(firstRaw as Buffer | null)?.byteLength ?? 0} bytes`);
  console.log(`  herald: last delivery ${heraldSeconds.toFixed(1)} s after the post (${Math.round(SUBSCRIBERS / heraldSeconds)} mails/s)`);
  console.log(`  bare nodemailer pool loop: ${baselineSeconds.toFixed(1)} s (${Math.round(SUBSCRIBERS / baselineSeconds)} mails/s)`);
  console.log(`  ratio (bare time / herald time): ${(baselineSeconds / heraldSeconds).toFixed(2)} (aim ≥ 0.8)`);
  console.log(`  server peak RSS: ${rss.toFixed(0)} MB (aim < 300 MB; ${rssAfterImport.toFixed(0)} MB of it reached during the CSV import); posting latency: ${postLatency.toFixed(1)} ms (aim < 100 ms)`);
} finally {
  await server.kill();
  sink.close();
  rmSync(dir, { recursive: true, force: true });
}
