import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { createApi } from '../../src/api/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Role } from '../../src/domain/roles.ts';
import { type Runtime, startRuntime } from '../../src/runtime.ts';
import type { ChannelSender } from '../../src/notify/channel.ts';
import type { VapidKeys } from '../../src/notify/vapid.ts';
import { CLI } from '../../src/services/actor.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { createToken } from '../../src/services/tokens.ts';
import { createUser } from '../../src/services/users.ts';

export const BASE = 'http://localhost:4321';

/** A settable clock, so tests about time never sleep. */
export class TestClock {
  #now: number;
  constructor(start = '2026-11-23T10:00:00.000Z') {
    this.#now = Date.parse(start);
  }
  now = (): Date => new Date(this.#now);
  advance(ms: number): void {
    this.#now += ms;
  }
  set(iso: string): void {
    this.#now = Date.parse(iso);
  }
}

export type Harness = {
  dir: string;
  dbPath: string;
  runtime: Runtime;
  app: Hono;
  clock: TestClock;
  tokens: Record<Role, string>;
  userIds: Record<Role, string>;
  /** A JSON request through the real app, with an API token of the given role (or none). */
  call: (
    method: string,
    path: string,
    options?: { as?: Role | null; body?: unknown; headers?: Record<string, string> },
  ) => Promise<Response>;
  restart: () => Promise<void>;
  close: () => Promise<void>;
};

export async function startHarness(
  options: {
    users?: boolean;
    env?: Record<string, string>;
    notifier?: boolean;
    senders?: (ctx: ServiceContext, vapid: VapidKeys) => ChannelSender[];
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-test-'));
  const dbPath = join(dir, 'herald.db');
  const config = loadConfig({
    DATABASE_PATH: dbPath,
    HERALD_BASE_URL: BASE,
    HERALD_MAIL_DIR: join(dir, 'mail'),
    ...options.env,
  });
  const clock = new TestClock();
  const harness = {
    dir,
    dbPath,
    clock,
    tokens: {} as Record<Role, string>,
    userIds: {} as Record<Role, string>,
  } as Harness;

  const boot = async () => {
    harness.runtime = await startRuntime(config, {
      scheduler: false,
      notifier: options.notifier ?? false,
      now: clock.now,
      ...(options.senders ? { senders: options.senders } : {}),
    });
    harness.app = createApi(harness.runtime);
  };
  await boot();

  if (options.users !== false) {
    for (const role of ['owner', 'editor', 'viewer'] as const) {
      const user = await createUser(harness.runtime.ctx, CLI, {
        email: `${role}@example.com`,
        name: role,
        role,
        password: `${role} password 123`,
      });
      harness.userIds[role] = user.id;
      harness.tokens[role] = (
        await createToken(harness.runtime.ctx, CLI, { name: `${role} token`, user_id: user.id })
      ).token;
    }
  }

  harness.call = (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const as = opts.as === undefined ? 'owner' : opts.as;
    if (as) headers.authorization = `Bearer ${harness.tokens[as]}`;
    if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
    const body =
      opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    return Promise.resolve(
      harness.app.request(`${BASE}${path}`, { method, headers, ...(body === undefined ? {} : { body }) }),
    );
  };
  harness.restart = async () => {
    await harness.runtime.stop();
    await boot();
  };
  harness.close = async () => {
    await harness.runtime.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return harness;
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
