// `npm run bench:email`: N confirmed subscribers (BENCH_SUBSCRIBERS, default 100,000: try 10000,
// 100000, 1000000), one notifying update, delivered to a local SMTP sink on 127.0.0.1. Runs Herald
// and a bare nodemailer pool loop (same mail, same sink, same connection count, its own process)
// alternately, BENCH_RUNS times each (default 3), and prints each run and the medians: the ratio
// of the bare loop's time to Herald's, the server's peak RSS and the posting request's latency.
// BENCH_BASELINE=0 runs Herald only (for audiences where the bare loop would take too long).
// BENCH_SERVER_NODE_OPTIONS / BENCH_BASELINE_NODE_OPTIONS pass e.g. --cpu-prof to either side.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { startServer } from '../src/cli/child-server.ts';
import { adminApi, ownerToken } from '../tests/helpers/seed-server.ts';
import { median } from './stats.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BASELINE = process.env.BENCH_BASELINE !== '0';
const CONNECTIONS = 5;
/** Lines per import request: well under the 6 MiB body limit. */
const IMPORT_CHUNK = 100_000;
/** Every wait is bounded: a run that has not delivered everything by then is reported as such. */
const RUN_DEADLINE_MS = 60 * 60_000;
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

type HeraldRun = {
  seconds: number;
  delivered: number;
  rssMb: number;
  rssIdleMb: number;
  rssAfterImportMb: number;
  importSeconds: number;
  postMs: number;
  trace: string;
};

const rssMbOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function runHerald(run: number): Promise<HeraldRun> {
  const runDir = join(dir, `run-${run}`);
  const server = await startServer({
    DATABASE_PATH: join(runDir, 'herald.db'),
    SMTP_URL: smtpUrl,
    SMTP_CONNECTIONS: String(CONNECTIONS),
    ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
  });
  try {
    const rssIdleMb = server.peakRssMb();
    // The server's RSS every second (BENCH_RSS_TRACE=1 prints it): where memory goes, not just its peak.
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(Math.round(rssMbOf(server.pid))), 1000);
    const token = await ownerToken(server);
    const api = adminApi(server, token);
    const component = await api<{ id: string }>('POST', '/components', { name: 'API' });
    const rssBeforeImportMb = rssMbOf(server.pid);
    const importing = performance.now();
    for (let start = 0; start < SUBSCRIBERS; start += IMPORT_CHUNK) {
      const csv = Array.from(
        { length: Math.min(IMPORT_CHUNK, SUBSCRIBERS - start) },
        (_, i) => `sub${start + i}@example.com`,
      ).join('\n');
      await api('POST', '/subscribers/import', { csv });
    }
    const importSeconds = (performance.now() - importing) / 1000;
    const rssAfterImportMb = server.peakRssMb();
    delivered = 0;
    const posted = performance.now();
    await api('POST', '/incidents', {
      name: 'Elevated error rates',
      body: 'We are investigating elevated error rates on the API. '.repeat(5),
      components: { [component.id]: 'partial_outage' },
      notify: true,
    });
    const postMs = performance.now() - posted;
    const deadline = Date.now() + RUN_DEADLINE_MS;
    while (delivered < SUBSCRIBERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - posted) / 1000;
    const rssMb = server.peakRssMb();
    clearInterval(sampler);
    if (process.env.BENCH_RSS_TRACE) await printHeap(server.url, token);
    // Stopped gracefully so that a --cpu-prof is written.
    await server.stop();
    if (process.env.BENCH_SERVER_LOG) writeFileSync(`${process.env.BENCH_SERVER_LOG}.${run}`, server.output());
    return {
      seconds,
      delivered,
      rssMb,
      rssIdleMb,
      rssAfterImportMb,
      importSeconds,
      postMs,
      trace: `${samples.join(' ')} (${rssBeforeImportMb.toFixed(0)} MB before the import)`,
    };
  } finally {
    await server.kill();
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** V8's heap by space and Node's external memory, from the server's own /metrics. */
async function printHeap(url: string, token: string): Promise<void> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  const lines = text
    .split('\n')
    .filter((l) =>
      /^nodejs_(heap_space_size_(used|total)_bytes|external_memory_bytes|heap_size_(used|total)_bytes)/.test(l),
    );
  console.log(
    lines
      .map((l) => `    ${l.replace(/ (\d+)$/, (_, n: string) => ` ${(Number(n) / 2 ** 20).toFixed(1)} MB`)}`)
      .join('\n'),
  );
}

async function runBare(): Promise<{ seconds: number; rssMb: number }> {
  const rawFile = join(dir, 'mail.eml');
  writeFileSync(rawFile, firstRaw ?? Buffer.from('Subject: x\r\n\r\nx'));
  delivered = 0;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      fileURLToPath(new URL('email-baseline.ts', import.meta.url)),
      smtpUrl,
      String(SUBSCRIBERS),
      String(CONNECTIONS),
      rawFile,
    ],
    {
      env: { ...process.env, NODE_OPTIONS: process.env.BENCH_BASELINE_NODE_OPTIONS ?? '' },
      timeout: RUN_DEADLINE_MS,
    },
  );
  const [seconds = NaN, rssMb = NaN] = stdout.trim().split(' ').map(Number);
  return { seconds, rssMb };
}

try {
  const herald: HeraldRun[] = [];
  const bare: Array<{ seconds: number; rssMb: number }> = [];
  for (let run = 0; run < RUNS; run++) {
    herald.push(await runHerald(run));
    const h = herald.at(-1) as HeraldRun;
    console.log(
      `  run ${run + 1} herald: ${h.delivered}/${SUBSCRIBERS} delivered, last ${h.seconds.toFixed(1)} s after the post (${Math.round(h.delivered / h.seconds)} mails/s); ` +
        `peak RSS ${h.rssMb.toFixed(0)} MB (${h.rssIdleMb.toFixed(0)} MB when started, ${h.rssAfterImportMb.toFixed(0)} MB by the end of the ${h.importSeconds.toFixed(1)} s import); posting ${h.postMs.toFixed(1)} ms`,
    );
    if (process.env.BENCH_RSS_TRACE) console.log(`    RSS each second (MB): ${h.trace}`);
    if (BASELINE) {
      bare.push(await runBare());
      const b = bare.at(-1) as { seconds: number; rssMb: number };
      console.log(
        `  run ${run + 1} bare nodemailer pool loop: ${b.seconds.toFixed(1)} s (${Math.round(SUBSCRIBERS / b.seconds)} mails/s), peak RSS ${b.rssMb} MB; ratio ${(b.seconds / h.seconds).toFixed(2)}`,
      );
    }
  }
  const heraldSeconds = median(herald.map((h) => h.seconds));
  console.log(
    `${SUBSCRIBERS} subscribers, ${CONNECTIONS} SMTP connections, mail of ${(firstRaw as Buffer | null)?.byteLength ?? 0} bytes, median of ${RUNS} alternating runs`,
  );
  console.log(
    `  herald: last delivery ${heraldSeconds.toFixed(1)} s after the post (${Math.round(SUBSCRIBERS / heraldSeconds)} mails/s)`,
  );
  if (BASELINE) {
    const bareSeconds = median(bare.map((b) => b.seconds));
    console.log(
      `  bare nodemailer pool loop: ${bareSeconds.toFixed(1)} s (${Math.round(SUBSCRIBERS / bareSeconds)} mails/s)`,
    );
    console.log(
      `  ratio (bare time / herald time): median ${median(herald.map((h, i) => (bare[i]?.seconds ?? 0) / h.seconds)).toFixed(2)}, each ${herald.map((h, i) => ((bare[i]?.seconds ?? 0) / h.seconds).toFixed(2)).join(', ')} (aim ≥ 0.85)`,
    );
  }
  console.log(
    `  server peak RSS: median ${median(herald.map((h) => h.rssMb)).toFixed(0)} MB, each ${herald.map((h) => h.rssMb.toFixed(0)).join(', ')} MB (aim ≤ 250 MB at 100,000); ` +
      `posting latency: median ${median(herald.map((h) => h.postMs)).toFixed(1)} ms (aim < 50 ms)`,
  );
} finally {
  sink.close();
  rmSync(dir, { recursive: true, force: true });
}
