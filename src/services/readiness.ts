import { migrations } from '../../db/migrations/index.ts';
import { oldestDueAt } from '../db/outbox-repo.ts';
import { appliedMigrations } from '../db/readiness-repo.ts';
import type { ServiceContext } from './context.ts';

export type WorkerHealth = { running: boolean; lastBeatAt: number };

export type Readiness = {
  ready: boolean;
  checks: {
    database: { ok: boolean; detail: string };
    migrations: { ok: boolean; detail: string };
    worker: { ok: boolean; detail: string };
    outbox: { ok: boolean; detail: string };
  };
};

/** A worker loop that has not come round for this long is stuck, not busy. */
const WORKER_STALL_MS = 120_000;

/**
 * What a load balancer or container runtime needs to know before sending traffic here: the
 * database answers, its schema is this release's, the notification worker is alive and the
 * fan-out is not further behind than `maxOutboxLagMs`.
 */
export async function checkReadiness(
  ctx: ServiceContext,
  worker: WorkerHealth,
  maxOutboxLagMs: number,
): Promise<Readiness> {
  const now = ctx.now();
  const checks: Readiness['checks'] = {
    database: { ok: false, detail: 'not checked' },
    migrations: { ok: false, detail: 'not checked' },
    worker: { ok: false, detail: 'not checked' },
    outbox: { ok: false, detail: 'not checked' },
  };
  try {
    const applied = new Set(await appliedMigrations(ctx.db));
    checks.database = { ok: true, detail: 'reachable' };
    const missing = Object.keys(migrations).filter((name) => !applied.has(name));
    checks.migrations = missing.length
      ? { ok: false, detail: `not applied: ${missing.join(', ')}` }
      : { ok: true, detail: `${applied.size} applied` };
    const oldest = await oldestDueAt(ctx.db, now.toISOString());
    const lagMs = oldest ? Math.max(0, now.getTime() - Date.parse(oldest)) : 0;
    checks.outbox = {
      ok: lagMs <= maxOutboxLagMs,
      detail: `oldest due delivery waiting ${Math.round(lagMs / 1000)} s (bound ${Math.round(maxOutboxLagMs / 1000)} s)`,
    };
  } catch (error) {
    checks.database = { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
  const sinceBeat = Date.now() - worker.lastBeatAt;
  checks.worker = !worker.running
    ? { ok: false, detail: 'stopped' }
    : sinceBeat > WORKER_STALL_MS
      ? { ok: false, detail: `loop last ran ${Math.round(sinceBeat / 1000)} s ago` }
      : { ok: true, detail: 'running' };
  return { ready: Object.values(checks).every((check) => check.ok), checks };
}
