import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../src/cli/child-server.ts';
import { adminApi, ownerToken } from '../tests/helpers/seed-server.ts';

export type HeraldRun = { seconds: number; delivered: number; rssMb: number; postMs: number };

/**
 * One timed fan-out on the real server, shared by the push and webhook benches: a copy of the
 * seeded database, one notifying incident posted through the API, and the time until the
 * receiver counted every delivery (or the deadline passed). BENCH_SERVER_NODE_OPTIONS reaches
 * the server (e.g. --cpu-prof, written at the graceful stop); BENCH_SERVER_LOG keeps its output.
 */
export async function timeFanout(options: {
  dir: string;
  template: string;
  env: Record<string, string>;
  run: number;
  expected: number;
  deadlineMs: number;
  /** Deliveries the receiver has counted since `resetCount`. */
  delivered: () => number;
  resetCount: () => void;
}): Promise<HeraldRun> {
  const runDir = join(options.dir, `run-${options.run}`);
  mkdirSync(runDir, { recursive: true });
  copyFileSync(options.template, join(runDir, 'herald.db'));
  const server = await startServer({
    ...options.env,
    DATABASE_PATH: join(runDir, 'herald.db'),
    ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
  });
  try {
    const api = adminApi(server, await ownerToken(server));
    options.resetCount();
    const posted = performance.now();
    await api('POST', '/incidents', {
      name: `Elevated error rates ${options.run}`,
      impact: 'major',
      body: 'We are investigating elevated error rates on the API.',
      components: {},
      notify: true,
    });
    const postMs = performance.now() - posted;
    const deadline = Date.now() + options.deadlineMs;
    while (options.delivered() < options.expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - posted) / 1000;
    const rssMb = server.peakRssMb();
    await server.stop();
    if (process.env.BENCH_SERVER_LOG) writeFileSync(`${process.env.BENCH_SERVER_LOG}.${options.run}`, server.output());
    return { seconds, delivered: options.delivered(), rssMb, postMs };
  } finally {
    await server.kill();
    rmSync(runDir, { recursive: true, force: true });
  }
}
