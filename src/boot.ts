import { ConfigError, loadConfig } from './config.ts';
import { type Runtime, startRuntime } from './runtime.ts';
import { issueSetupToken } from './services/users.ts';

let booting: Promise<Runtime> | undefined;

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
  const runtime = await startRuntime(config);
  console.log(`[herald] database ${config.databasePath}`);
  console.log(`[herald] mail: ${runtime.mailer.describe()}`);
  const setup = await issueSetupToken(runtime.ctx);
  if (setup) {
    const link = new URL(`/setup?token=${setup}`, config.baseUrl);
    console.log(
      `[herald] No user yet. Create the owner account within 24 hours at:\n\n    ${link.href}\n\n` +
        '  or run: npm run admin -- create-user --email you@example.com --role owner --password \'…\'',
    );
  }
  const stop = () => {
    void runtime.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return runtime;
}
