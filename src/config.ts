import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseTrustProxy, TRUST_NO_PROXY, type TrustProxy } from './http/client-address.ts';
import { contactHostOf, isPlaceholderHost, mailAddressOf } from './lib/contact-host.ts';

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
  trustProxy: TrustProxy;
  /** /readyz fails when the oldest due delivery has waited longer than this. */
  readyMaxOutboxLagMs: number;
  /** How long a stop waits for requests in flight before closing their connections. */
  shutdownTimeoutMs: number;
  logLevel: LogLevel;
  /** Worker threads rendering public pages; 0 renders in the serving thread. */
  renderThreads: number;
  mail: MailConfig;
  push: PushConfig;
  /** How long a Slack command may work before Herald acknowledges it and answers on response_url. */
  slackAckMs: number;
  /** Slack's Web API, for linking users by email (a local stand-in in the tests). */
  slackApiUrl: string;
  /** Where webhook, Slack and Teams deliveries may go besides public https addresses. */
  outbound: { allowHttp: boolean; allowlist: string[]; ca?: string; perHostLimit: number };
  /** What is allowed but probably wrong, for the log at start. */
  warnings: string[];
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type PushConfig = {
  keys: { publicKey: string; privateKey: string } | null;
  /** The VAPID `sub`: a mailto: or https: contact the push services can reach (RFC 8292 §2.1). */
  subject: string;
  /**
   * Hosts subscriptions may point at: the browsers' push services. Anything else is refused, so
   * a forged subscription cannot make Herald post to an address of the attacker's choosing.
   */
  allowedHosts: string[];
};

const PUSH_SERVICES = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  'push.services.mozilla.com',
  '*.notify.windows.com',
  'web.push.apple.com',
  '*.push.apple.com',
];

export type MailConfig = {
  /** smtp(s)://user:pass@host:port; null writes each mail as an .eml file under `dir`. */
  smtpUrl: string | null;
  from: string;
  dir: string;
  connections: number;
  retryBaseMs: number;
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
};

const port = z.coerce
  .number({ error: 'PORT must be a whole number between 1 and 65535' })
  .int('PORT must be a whole number between 1 and 65535')
  .min(1, 'PORT must be a whole number between 1 and 65535')
  .max(65535, 'PORT must be a whole number between 1 and 65535');

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}, 'HERALD_BASE_URL must be an absolute http(s) URL');

const booleanFlag = (name: string) =>
  z
    .enum(['true', 'false', '1', '0'], { error: `${name} must be true or false` })
    .transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  DATABASE_PATH: z.string().min(1, 'DATABASE_PATH must not be empty').default('./data/herald.db'),
  HOST: z.string().min(1, 'HOST must not be empty').default('localhost'),
  PORT: port.default(4321),
  HERALD_BASE_URL: httpUrl.optional(),
  HERALD_SECURE_COOKIES: booleanFlag('HERALD_SECURE_COOKIES').optional(),
  HERALD_TRUST_PROXY: z
    .string()
    .transform((value, ctx) => {
      const trust = parseTrustProxy(value);
      if (typeof trust === 'string') ctx.addIssue({ code: 'custom', message: trust });
      return trust;
    })
    .optional(),
  HERALD_SCHEDULER: booleanFlag('HERALD_SCHEDULER').default(true),
  SMTP_URL: z
    .string()
    .refine(
      (v) => /^smtps?:\/\//.test(v) && URL.canParse(v),
      'SMTP_URL must look like smtp://user:password@mail.example.com:587 (or smtps://… for port 465)',
    )
    .optional(),
  MAIL_FROM: z.string().min(3, 'MAIL_FROM must be an address such as "Acme Status <status@acme.com>"').optional(),
  HERALD_MAIL_DIR: z.string().min(1).default('./data/mail'),
  SMTP_CONNECTIONS: z.coerce
    .number({ error: 'SMTP_CONNECTIONS must be a number' })
    .int()
    .min(1, 'SMTP_CONNECTIONS must be at least 1')
    .max(100, 'SMTP_CONNECTIONS must be at most 100')
    .default(5),
  HERALD_RETRY_BASE_MS: z.coerce
    .number({ error: 'HERALD_RETRY_BASE_MS must be a number of milliseconds' })
    .int()
    .min(10)
    .default(30_000),
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(
      /^[\w-]{87}$/,
      'VAPID_PUBLIC_KEY must be the URL-safe base64 public key printed by `npx web-push generate-vapid-keys`',
    )
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(
      /^[\w-]{43}$/,
      'VAPID_PRIVATE_KEY must be the URL-safe base64 private key printed by `npx web-push generate-vapid-keys`',
    )
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, 'VAPID_SUBJECT must be a mailto: or https: URL where push services can reach you')
    .refine(
      (subject) => !/^(mailto:|https:\/\/)/.test(subject) || !isPlaceholderHost(contactHostOf(subject)),
      'VAPID_SUBJECT must name a contact push services can reach, not a loopback or placeholder host (localhost, 127.x, ::1, example.com, .test, .invalid, .localhost): for example mailto:ops@yourcompany.com or https://yourcompany.com/contact',
    )
    .optional(),
  HERALD_PUSH_HOSTS: z.string().optional(),
  HERALD_OUTBOUND_ALLOWLIST: z.string().optional(),
  HERALD_OUTBOUND_ALLOW_HTTP: booleanFlag('HERALD_OUTBOUND_ALLOW_HTTP').default(false),
  HERALD_OUTBOUND_CA_FILE: z.string().optional(),
  HERALD_SLACK_ACK_MS: z.coerce.number().int().min(0).max(2_900).default(2_000),
  HERALD_SLACK_API_URL: z.url({ error: 'HERALD_SLACK_API_URL must be a URL' }).default('https://slack.com/api'),
  HERALD_OUTBOUND_PER_HOST: z.coerce
    .number({ error: 'HERALD_OUTBOUND_PER_HOST must be a whole number from 1 to 256' })
    .int('HERALD_OUTBOUND_PER_HOST must be a whole number from 1 to 256')
    .min(1, 'HERALD_OUTBOUND_PER_HOST must be a whole number from 1 to 256')
    .max(256, 'HERALD_OUTBOUND_PER_HOST must be a whole number from 1 to 256')
    .default(8),
  DKIM_DOMAIN: z.string().optional(),
  DKIM_SELECTOR: z.string().optional(),
  DKIM_PRIVATE_KEY: z.string().optional(),
  HERALD_READY_MAX_OUTBOX_LAG_S: z.coerce
    .number({ error: 'HERALD_READY_MAX_OUTBOX_LAG_S must be a number of seconds' })
    .int()
    .min(1)
    .default(900),
  HERALD_SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ error: 'HERALD_SHUTDOWN_TIMEOUT_MS must be a number of milliseconds' })
    .int()
    .min(0)
    .default(10_000),
  HERALD_RENDER_THREADS: z.coerce
    .number({ error: 'HERALD_RENDER_THREADS must be a whole number from 0 to 32 (0 renders in the main thread)' })
    .int('HERALD_RENDER_THREADS must be a whole number from 0 to 32 (0 renders in the main thread)')
    .min(0, 'HERALD_RENDER_THREADS must be a whole number from 0 to 32 (0 renders in the main thread)')
    .max(32, 'HERALD_RENDER_THREADS must be a whole number from 0 to 32 (0 renders in the main thread)')
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  HERALD_SCHEDULER_INTERVAL_MS: z.coerce
    .number({ error: 'HERALD_SCHEDULER_INTERVAL_MS must be a number of milliseconds' })
    .int('HERALD_SCHEDULER_INTERVAL_MS must be a whole number of milliseconds')
    .min(100, 'HERALD_SCHEDULER_INTERVAL_MS must be at least 100')
    .default(15_000),
});

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`HERALD_OUTBOUND_CA_FILE cannot be read: ${(error as Error).message}`]);
  }
}

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
  const dkimParts = [e.DKIM_DOMAIN, e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY];
  if (dkimParts.some(Boolean) && !dkimParts.every(Boolean)) {
    throw new ConfigError([
      'DKIM signing needs all three of DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY (PEM, \\n for newlines)',
    ]);
  }
  const displayHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  const baseUrl = new URL(e.HERALD_BASE_URL ?? `http://${displayHost}:${e.PORT}`);
  const mailFrom = e.MAIL_FROM ?? `Status <status@${baseUrl.hostname}>`;
  const push = pushContact(e.VAPID_SUBJECT, mailFrom);
  return {
    databasePath: e.DATABASE_PATH === ':memory:' ? ':memory:' : resolve(e.DATABASE_PATH),
    host: e.HOST,
    port: e.PORT,
    baseUrl,
    secureCookies: e.HERALD_SECURE_COOKIES ?? baseUrl.protocol === 'https:',
    schedulerIntervalMs: e.HERALD_SCHEDULER_INTERVAL_MS,
    scheduler: e.HERALD_SCHEDULER,
    push: {
      keys:
        e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY
          ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY }
          : null,
      subject: push.subject,
      allowedHosts: e.HERALD_PUSH_HOSTS
        ? e.HERALD_PUSH_HOSTS.split(',')
            .map((h) => h.trim())
            .filter(Boolean)
        : PUSH_SERVICES,
    },
    slackAckMs: e.HERALD_SLACK_ACK_MS,
    slackApiUrl: e.HERALD_SLACK_API_URL.replace(/\/+$/, ''),
    outbound: {
      perHostLimit: e.HERALD_OUTBOUND_PER_HOST,
      allowHttp: e.HERALD_OUTBOUND_ALLOW_HTTP,
      allowlist: (e.HERALD_OUTBOUND_ALLOWLIST ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
      // Receivers on an internal PKI: their CA is trusted besides the system's.
      ...(e.HERALD_OUTBOUND_CA_FILE ? { ca: readCaFile(e.HERALD_OUTBOUND_CA_FILE) } : {}),
    },
    mail: {
      smtpUrl: e.SMTP_URL ?? null,
      from: mailFrom,
      dir: resolve(e.HERALD_MAIL_DIR),
      connections: e.SMTP_CONNECTIONS,
      retryBaseMs: e.HERALD_RETRY_BASE_MS,
      dkim:
        e.DKIM_DOMAIN && e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY
          ? {
              domainName: e.DKIM_DOMAIN,
              keySelector: e.DKIM_SELECTOR,
              privateKey: e.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n'),
            }
          : null,
    },
    readyMaxOutboxLagMs: e.HERALD_READY_MAX_OUTBOX_LAG_S * 1000,
    shutdownTimeoutMs: e.HERALD_SHUTDOWN_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    // One per core beyond the serving thread's (one on a two-core machine), at most four.
    renderThreads: e.HERALD_RENDER_THREADS ?? Math.max(1, Math.min(4, availableParallelism() - 1)),
    trustProxy: typeof e.HERALD_TRUST_PROXY === 'object' ? e.HERALD_TRUST_PROXY : TRUST_NO_PROXY,
    warnings: push.warning ? [push.warning] : [],
  };
}

/**
 * The contact push services see in every VAPID token, and may write to or block by: VAPID_SUBJECT
 * (checked above), else the mail sender, with a warning when that cannot be reached either.
 */
function pushContact(explicit: string | undefined, mailFrom: string): { subject: string; warning: string | null } {
  if (explicit) return { subject: explicit, warning: null };
  const subject = `mailto:${mailAddressOf(mailFrom)}`;
  if (!isPlaceholderHost(contactHostOf(subject))) return { subject, warning: null };
  return {
    subject,
    warning: `Browser push: the contact sent to push services is ${subject}, on a loopback or placeholder host, and push services may reject it. Set VAPID_SUBJECT to a mailto: or https: contact they can reach (e.g. mailto:ops@yourcompany.com), or MAIL_FROM to a real sender address.`,
  };
}
