// `npm run bench:soak`: hammer the real server (better-sqlite3 under Node 24) with a bounded mix
// of page reads, API reads and incident writes from 32 concurrent clients on 127.0.0.1, then
// check that it survived, answered everything and lost no write.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/cli/child-server.ts';
import { ownerToken } from '../tests/helpers/seed-server.ts';

const TOTAL = Number(process.env.SOAK_REQUESTS ?? 30_000);
const CONCURRENCY = 32;
const TIME_LIMIT_MS = Number(process.env.SOAK_SECONDS ?? 180) * 1000;

const dir = mkdtempSync(join(tmpdir(), 'herald-soak-'));
const server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
try {
  const token = await ownerToken(server);
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const components: string[] = [];
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${server.url}/api/admin/components`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: `Component ${i}` }),
    });
    components.push(((await res.json()) as { id: string }).id);
  }
  const incident = (await (
    await fetch(`${server.url}/api/admin/incidents`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        name: 'Soak',
        body: 'start',
        components: { [components[0] ?? '']: 'degraded_performance' },
        notify: false,
      }),
    })
  ).json()) as { id: string };

  let sent = 0;
  let errors = 0;
  let writes = 0;
  const started = Date.now();
  const statuses = ['identified', 'monitoring', 'investigating'] as const;
  const client = async () => {
    while (sent < TOTAL && Date.now() - started < TIME_LIMIT_MS) {
      const n = sent++;
      let res: Response;
      if (n % 10 === 0) {
        writes++;
        res = await fetch(`${server.url}/api/admin/incidents/${incident.id}/updates`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({
            status: statuses[n % 3],
            body: `update ${n}`,
            components: { [components[n % 10] ?? '']: 'partial_outage' },
            notify: false,
          }),
        });
      } else if (n % 10 === 1) {
        res = await fetch(`${server.url}/api/admin/incidents?per_page=5`, { headers: auth });
      } else {
        res = await fetch(`${server.url}/`);
      }
      await res.arrayBuffer();
      if (!res.ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const seconds = (Date.now() - started) / 1000;

  const view = (await (await fetch(`${server.url}/api/admin/incidents/${incident.id}`, { headers: auth })).json()) as {
    incident_updates: unknown[];
  };
  const alive = (await fetch(`${server.url}/`)).ok;
  const stored = view.incident_updates.length - 1;
  console.log(
    `requests ${sent}, errors ${errors}, ${Math.round(sent / seconds)} req/s over ${seconds.toFixed(1)} s with ${CONCURRENCY} clients`,
  );
  console.log(
    `writes posted ${writes}, updates stored ${stored} (ratio ${(stored / writes).toFixed(3)}), server alive after: ${alive}`,
  );
  console.log(`server peak RSS ${server.peakRssMb().toFixed(0)} MB`);
  if (errors > 0 || stored !== writes || !alive) process.exitCode = 1;
} finally {
  await server.kill();
  rmSync(dir, { recursive: true, force: true });
}
