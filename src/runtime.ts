import type { Config } from './config.ts';
import { type Db, migrateToLatest, openDatabase } from './db/database.ts';
import { createLucia, type HeraldLucia } from './auth/lucia.ts';
import type { ServiceContext } from './services/context.ts';
import { runMaintenanceSchedule } from './services/maintenance.ts';
import { Publisher } from './site/publisher.ts';

/** Everything one Herald process holds: built once at start, shared by the API and the pages. */
export type Runtime = {
  config: Config;
  db: Db;
  ctx: ServiceContext;
  lucia: HeraldLucia;
  stop: () => Promise<void>;
};

export async function startRuntime(config: Config, options: { scheduler?: boolean; now?: () => Date } = {}): Promise<Runtime> {
  const db = openDatabase(config.databasePath);
  await migrateToLatest(db);
  const ctx: ServiceContext = { db, now: options.now ?? (() => new Date()), publisher: new Publisher() };
  const lucia = createLucia(db, { secureCookies: config.secureCookies });

  let timer: NodeJS.Timeout | undefined;
  let tick: Promise<unknown> = Promise.resolve();
  if (options.scheduler !== false) {
    const run = () => {
      // One pass at a time: a slow pass is never overlapped by the next.
      tick = tick.then(() => runMaintenanceSchedule(ctx)).catch((error: unknown) => console.error('[scheduler]', error));
    };
    run();
    timer = setInterval(run, config.schedulerIntervalMs);
    timer.unref();
  }

  return {
    config,
    db,
    ctx,
    lucia,
    stop: async () => {
      clearInterval(timer);
      await tick;
      await db.destroy();
    },
  };
}
