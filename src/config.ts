import { resolve } from 'node:path';
import { z } from 'zod';

/** Everything Herald reads from the environment, validated once at start-up. */
export type Config = {
  databasePath: string;
  host: string;
  port: number;
  baseUrl: URL;
  secureCookies: boolean;
  schedulerIntervalMs: number;
  /** Off for read-only helpers such as the static export, which must not move maintenance. */
  scheduler: boolean;
  trustProxy: boolean;
};

const port = z.coerce
  .number({ error: 'PORT must be a whole number between 1 and 65535' })
  .int('PORT must be a whole number between 1 and 65535')
  .min(1, 'PORT must be a whole number between 1 and 65535')
  .max(65535, 'PORT must be a whole number between 1 and 65535');

const httpUrl = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'HERALD_BASE_URL must be an absolute http(s) URL');

const booleanFlag = (name: string) =>
  z.enum(['true', 'false', '1', '0'], { error: `${name} must be true or false` }).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  DATABASE_PATH: z.string().min(1, 'DATABASE_PATH must not be empty').default('./data/herald.db'),
  HOST: z.string().min(1, 'HOST must not be empty').default('localhost'),
  PORT: port.default(4321),
  HERALD_BASE_URL: httpUrl.optional(),
  HERALD_SECURE_COOKIES: booleanFlag('HERALD_SECURE_COOKIES').optional(),
  HERALD_TRUST_PROXY: booleanFlag('HERALD_TRUST_PROXY').default(false),
  HERALD_SCHEDULER: booleanFlag('HERALD_SCHEDULER').default(true),
  HERALD_SCHEDULER_INTERVAL_MS: z.coerce
    .number({ error: 'HERALD_SCHEDULER_INTERVAL_MS must be a number of milliseconds' })
    .int('HERALD_SCHEDULER_INTERVAL_MS must be a whole number of milliseconds')
    .min(100, 'HERALD_SCHEDULER_INTERVAL_MS must be at least 100')
    .default(15_000),
});

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Herald cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Blank values in an .env file mean "not set", not "set to nothing".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  const e = parsed.data;
  const displayHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  const baseUrl = new URL(e.HERALD_BASE_URL ?? `http://${displayHost}:${e.PORT}`);
  return {
    databasePath: e.DATABASE_PATH === ':memory:' ? ':memory:' : resolve(e.DATABASE_PATH),
    host: e.HOST,
    port: e.PORT,
    baseUrl,
    secureCookies: e.HERALD_SECURE_COOKIES ?? baseUrl.protocol === 'https:',
    schedulerIntervalMs: e.HERALD_SCHEDULER_INTERVAL_MS,
    scheduler: e.HERALD_SCHEDULER,
    trustProxy: e.HERALD_TRUST_PROXY,
  };
}
