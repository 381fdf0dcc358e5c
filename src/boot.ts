import { ConfigError, loadConfig } from './config.ts';
import { type Runtime, startRuntime } from './runtime.ts';
import { issueSetupToken } from './services/users.ts';
import { isRenderWorker } from './publishing/render-worker.ts';
import { onDatabase } from './lib/command-line.ts';

let booting: Promise<Runtime> | undefined;

/** Where the front server finds the runtime's stop, as it finds the fast path. */
export const RUNTIME_STOP_KEY = Symbol.for('herald.stopRuntime');

/**
 * The process's one runtime, shared by src/fetch.ts and the Astro pages (they live in the same
 * server bundle). Bad configuration stops the process with a plain message, not a stack trace.
 */
export function heraldRuntime(): Promise<Runtime> {
  booting ??= boot();
  return booting;
}

async function boot(): Promise<Runtime> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // A render worker reads for pages and nothing else: no notifier, scheduler or setup link.
  if (isRenderWorker()) return startRuntime(config, { render: true, scheduler: false, notifier: false });
  const runtime = await startRuntime(config);
  const { logger } = runtime;
  logger.info(`database ${config.databasePath}`);
  logger.info(`mail: ${runtime.mailer.describe()}`);
  for (const warning of config.warnings) logger.warn(warning);
  const setup = await issueSetupToken(runtime.ctx);
  if (setup) {
    const link = new URL(`/setup?token=${setup}`, config.baseUrl);
    // The command names this server's database: run from another shell or folder without it,
    // the CLI would create the owner in a database of its own.
    const command = onDatabase(
      config.databasePath,
      "npm run admin -- create-user --email you@example.com --role owner --password '…'",
    );
    logger.info(
      { setup_link: link.href },
      config.databasePath === ':memory:'
        ? `No user yet. Create the owner account within 24 hours at ${link.href} (DATABASE_PATH is :memory:, which the CLI cannot reach)`
        : `No user yet. Create the owner account within 24 hours at ${link.href} or run: ${command}`,
    );
  }
  // The front server (scripts/start.mjs) owns the signals: it stops taking requests, lets those
  // in flight finish, and only then stops the runtime behind them.
  Reflect.set(globalThis, RUNTIME_STOP_KEY, () => runtime.stop());
  return runtime;
}
