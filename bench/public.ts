// `npm run bench:public`: GET / under 50 concurrent connections from a separate load process
// (autocannon), against Herald and against a bare node:http server returning the same bytes
// from memory, in the same run; then the publish latency (API write → new content visible)
// over 200 writes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startServer } from '../src/cli/child-server.ts';
import { adminApi, ownerToken } from '../tests/helpers/seed-server.ts';

const DURATION = process.env.BENCH_SECONDS ?? '10';
const CONNECTIONS = '50';
const WRITES = Number(process.env.BENCH_WRITES ?? 200);
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

// Asynchronous: the bare server lives in this process and must keep answering meanwhile.
async function load(url: string): Promise<{ rps: number; p99: number; errors: number; non2xx: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, [AUTOCANNON, '-c', CONNECTIONS, '-d', DURATION, '-j', url], { maxBuffer: 64 * 1024 * 1024 });
  const r = JSON.parse(stdout) as { requests: { average: number }; latency: { p99: number }; errors: number; non2xx: number };
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

const dir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
const server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
try {
  const api = adminApi(server, await ownerToken(server));
  const group = await api<{ id: string }>('POST', '/component-groups', { name: 'Platform' });
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push((await api<{ id: string }>('POST', '/components', { name: `Service ${i + 1}`, group_id: i < 10 ? group.id : null })).id);
  const incident = await api<{ id: string }>('POST', '/incidents', { name: 'Elevated latency', body: 'We are investigating slow responses.', components: { [ids[0] ?? '']: 'degraded_performance' }, notify: false });

  // The bare server gets exactly the bytes and headers Herald answers with.
  const sample = await fetch(`${server.url}/`);
  const bytes = Buffer.from(await sample.arrayBuffer());
  const headers = Object.fromEntries([...sample.headers].filter(([k]) => !['content-length', 'connection', 'keep-alive', 'date', 'transfer-encoding'].includes(k)));
  const barePort = await freePort();
  const bare = createServer((_req, res) => {
    res.writeHead(200, { ...headers, 'content-length': bytes.byteLength });
    res.end(bytes);
  }).listen(barePort, '127.0.0.1');

  const herald = await load(`${server.url}/`);
  const baseline = await load(`http://127.0.0.1:${barePort}/`);
  bare.close();
  console.log(`GET / (${bytes.byteLength} bytes, ${CONNECTIONS} connections, ${DURATION} s each, load from a separate process)`);
  console.log(`  herald:      ${Math.round(herald.rps)} req/s, p99 ${herald.p99} ms, errors ${herald.errors}, non-2xx ${herald.non2xx}`);
  console.log(`  bare server: ${Math.round(baseline.rps)} req/s, p99 ${baseline.p99} ms`);
  console.log(`  ratio herald / bare: ${(herald.rps / baseline.rps).toFixed(2)} (aim ≥ 0.7)`);

  // Each write renames the incident; it is visible once GET / shows the new name.
  const latencies: number[] = [];
  for (let i = 0; i < WRITES; i++) {
    const name = `Elevated latency #${i}`;
    await api('PATCH', `/incidents/${incident.id}`, { name });
    const answered = performance.now();
    const deadline = answered + 2000;
    for (;;) {
      const html = await (await fetch(`${server.url}/`)).text();
      if (html.includes(`${name}<`)) break;
      if (performance.now() > deadline) throw new Error(`write ${i} not visible within 2 s`);
    }
    latencies.push(performance.now() - answered);
  }
  latencies.sort((a, b) => a - b);
  console.log(`publish latency over ${WRITES} writes (API answered → new content on /): ` +
    `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${percentile(latencies, 100).toFixed(1)} ms (aim p95 < 100 ms)`);
} finally {
  await server.kill();
  rmSync(dir, { recursive: true, force: true });
}
