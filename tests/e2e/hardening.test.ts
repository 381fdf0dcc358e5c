import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';

const MB = 1024 * 1024;

/**
 * Streams `total` bytes of zeros to a route and answers the status, or 'closed' when the server
 * hung up first. Chunked unless `declareLength`, so both of the server's checks are exercised.
 */
function postHuge(
  url: string,
  path: string,
  headers: Record<string, string>,
  total: number,
  declareLength: boolean,
): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024);
    let sent = 0;
    let done = false;
    const finish = (result: number | 'closed') => {
      if (!done) resolve(result);
      done = true;
    };
    const req = request(
      `${url}${path}`,
      { method: 'POST', headers: { ...headers, ...(declareLength ? { 'content-length': String(total) } : {}) } },
      (res) => {
        res.resume();
        finish(res.statusCode ?? 0);
        req.destroy();
      },
    );
    req.on('error', () => finish('closed'));
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}

describe('the real server under abuse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-hardening-'));
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let server: ServerProcess;
  let token: string;
  let cookie: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    smtp = await startSmtpSink({ parse: false });
    env = { DATABASE_PATH: join(dir, 'herald.db'), SMTP_URL: smtp.url };
    server = await startServer(env);
    token = await ownerToken(server);
    const session = await fetch(`${server.url}/api/admin/session`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.com', password: 'bench password 123' }),
    });
    cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  });
  afterAll(async () => {
    await server?.kill();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'refuses 100 MB bodies on every public and console POST before buffering them, chunked or declared',
    { timeout: 120_000 },
    async () => {
      const form = { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' };
      const json = { 'content-type': 'application/json' };
      const targets: [string, Record<string, string>][] = [
        ['/api/public/subscriptions', json],
        ['/api/public/push/subscriptions', json],
        ['/api/admin/session', { ...json, origin: server.url }],
        ['/api/admin/components', { ...json, authorization: `Bearer ${token}` }],
        ['/api/admin/subscribers/import', { ...json, authorization: `Bearer ${token}` }],
        ['/admin/login', form],
        ['/setup', form],
        ['/subscribe', form],
        ['/subscriptions/x/unsubscribe', form],
        ['/admin/settings', { ...form, cookie }],
      ];
      const before = server.peakRssMb();
      const all: (number | 'closed')[] = [];
      for (const [path, headers] of targets) {
        // Four at once, as the probe did: two streamed, two declaring their length. The server
        // answers 413 and closes; a client still writing may see the close before the answer.
        const answers = await Promise.all(
          [true, false, true, false].map((declare) => postHuge(server.url, path, headers, 100 * MB, declare)),
        );
        for (const answer of answers) expect([413, 'closed'], `${path} answered ${answer}`).toContain(answer);
        all.push(...answers);
      }
      expect(all.filter((answer) => answer === 413).length).toBeGreaterThan(0);
      // Nothing was held: the high-water mark hardly moved (the probe saw +440 MB for one post).
      expect(server.peakRssMb() - before).toBeLessThan(50);
      expect((await fetch(`${server.url}/`)).status).toBe(200);
    },
  );

  it('answers a too-large form with a readable page and a too-large API call with problem+json', async () => {
    const page = await fetch(`${server.url}/admin/login`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${'a'.repeat(70_000)}`,
    });
    expect(page.status).toBe(413);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/larger than 64 KiB/);
    const api = await fetch(`${server.url}/api/public/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a'.repeat(70_000) }),
    });
    expect(api.status).toBe(413);
    expect(api.headers.get('content-type')).toBe('application/problem+json');
  });

  it(
    'lets one client ask for at most 20 subscriptions an hour: 200 requests send 20 confirmation mails',
    { timeout: 60_000 },
    async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) {
        const res = await fetch(`${server.url}/api/public/subscriptions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `flood${i}@example.com` }),
        });
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(statuses.filter((s) => s === 202)).toHaveLength(20);
      expect(statuses.filter((s) => s === 429)).toHaveLength(180);
      const deadline = Date.now() + 10_000;
      const flooded = () => [...smtp.counts.keys()].filter((address) => address.startsWith('flood')).length;
      while (flooded() < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      expect(flooded()).toBe(20);
      const rows = await fetch(`${server.url}/api/admin/subscribers?search=flood`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(rows.headers.get('x-total-count')).toBe('20');
    },
  );

  it(
    'keeps answering while another process holds the database: cached pages and reads at once, writes 503 with Retry-After, never 500',
    { timeout: 60_000 },
    async () => {
      expect((await fetch(`${server.url}/`)).status).toBe(200);
      const holder = new SQLite(env.DATABASE_PATH ?? '');
      holder.exec('BEGIN EXCLUSIVE');
      const released = new Promise<void>((resolve) =>
        setTimeout(() => {
          holder.exec('ROLLBACK');
          holder.close();
          resolve();
        }, 7_000),
      );
      try {
        const order: string[] = [];
        const write = fetch(`${server.url}/api/admin/components`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Written while locked' }),
        }).then((res) => {
          order.push('write');
          return res;
        });
        await new Promise((r) => setTimeout(r, 200));
        const page = await fetch(`${server.url}/`);
        order.push('page');
        const summary = await fetch(`${server.url}/api/v2/summary.json`);
        const read = await fetch(`${server.url}/api/admin/components`, {
          headers: { authorization: `Bearer ${token}` },
        });
        order.push('reads');
        expect([page.status, summary.status, read.status]).toEqual([200, 200, 200]);
        const refused = await write;
        // The page and the reads were answered while the write was still waiting for the lock.
        expect(order).toEqual(['page', 'reads', 'write']);
        expect(refused.status).toBe(503);
        expect(refused.headers.get('content-type')).toBe('application/problem+json');
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      } finally {
        await released;
      }
      const api = adminApi(server, token);
      await api('POST', '/components', { name: 'Written after the lock' });
      const names = (await api<Array<{ name: string }>>('GET', '/components')).map((c) => c.name);
      expect(names).toContain('Written after the lock');
      expect(names).not.toContain('Written while locked');
    },
  );

  it('logs each request as a JSON line with an id that the answer carries too', async () => {
    const mine = await fetch(`${server.url}/history`, { headers: { 'x-request-id': 'support-ticket-4711' } });
    expect(mine.headers.get('x-request-id')).toBe('support-ticket-4711');
    const given = await fetch(`${server.url}/`, { headers: { 'x-request-id': '<script>' } });
    const id = given.headers.get('x-request-id') ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setTimeout(r, 200));
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((line) => line.req_id === 'support-ticket-4711')).toMatchObject({
      method: 'GET',
      url: '/history',
      status: 200,
      service: 'herald',
    });
    expect(lines.find((line) => line.req_id === id)).toMatchObject({ url: '/', status: 200 });
  });

  it('says so when an unsubscribe link is not valid, and points to a way to manage the subscription', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await fetch(`${server.url}/subscriptions/not-a-real-token/unsubscribe`, {
        method,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        ...(method === 'POST' ? { body: 'List-Unsubscribe=One-Click' } : {}),
      });
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toMatch(/This unsubscribe link is not valid/);
      expect(html).not.toMatch(/You are unsubscribed/);
      expect(html).toContain('href="/subscribe"');
    }
  });

  it(
    'counts sign-in attempts before checking the password: of 40 parallel wrong guesses, 10 are checked and 30 refused',
    { timeout: 60_000 },
    async () => {
      const attempt = () =>
        fetch(`${server.url}/api/admin/session`, {
          method: 'POST',
          headers: { origin: server.url, 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'bench@example.com', password: 'not the password' }),
        }).then((res) => res.status);
      const statuses = await Promise.all(Array.from({ length: 40 }, attempt));
      expect(statuses.filter((s) => s === 401)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(30);
      // Meanwhile the token-authenticated API is unaffected.
      expect(
        (await fetch(`${server.url}/api/admin/me`, { headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(200);
    },
  );
});

describe('a graceful stop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-stop-'));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'on SIGTERM finishes a slow upload and the sends under way, exits 0, and after a restart every subscriber has the update exactly once',
    { timeout: 120_000 },
    async () => {
      const SUBSCRIBERS = 600;
      const smtp = await startSmtpSink({ parse: false, delayMs: 10 });
      const env = { DATABASE_PATH: join(dir, 'herald.db'), SMTP_URL: smtp.url, SMTP_CONNECTIONS: '2' };
      try {
        server = await startServer(env);
        const token = await ownerToken(server);
        const api = adminApi(server, token);
        const csv = Array.from({ length: SUBSCRIBERS }, (_, i) => `stop${i}@example.com`).join('\n');
        expect(await api('POST', '/subscribers/import', { csv })).toEqual({ imported: SUBSCRIBERS, skipped: 0 });
        await api('POST', '/incidents', {
          name: 'Stopping mid fan-out',
          body: 'Investigating.',
          components: {},
          notify: true,
        });
        const total = () => [...smtp.counts.values()].reduce((a, b) => a + b, 0);
        while (total() < 50) await new Promise((r) => setTimeout(r, 10));

        // A client uploading slowly: half of its body now, the rest after the signal.
        const body = JSON.stringify({ name: 'Posted during the stop' });
        const upload = new Promise<number>((resolve, reject) => {
          const req = request(
            `${server?.url}/api/admin/components`,
            {
              method: 'POST',
              headers: {
                authorization: `Bearer ${token}`,
                'content-type': 'application/json',
                'content-length': String(Buffer.byteLength(body)),
              },
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          req.write(body.slice(0, 10));
          setTimeout(() => req.end(body.slice(10)), 1_500);
        });
        await new Promise((r) => setTimeout(r, 300));
        const exitCode = server.stop();
        expect(await upload).toBe(201);
        expect(await exitCode).toBe(0);
        expect(server.output()).toMatch(/stopped cleanly/);
        const atStop = total();
        expect(atStop).toBeLessThan(SUBSCRIBERS);

        server = await startServer(env);
        const deadline = Date.now() + 60_000;
        while (total() < SUBSCRIBERS) {
          if (Date.now() > deadline)
            throw new Error(`${total()} of ${SUBSCRIBERS} mails after the restart\n${server.output()}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, 500));
        const perSubscriber = Array.from(
          { length: SUBSCRIBERS },
          (_, i) => smtp.counts.get(`stop${i}@example.com`) ?? 0,
        );
        expect(new Set(perSubscriber)).toEqual(new Set([1]));
        const names = (
          await adminApi(server, await loginToken(server))<Array<{ name: string }>>('GET', '/components')
        ).map((c) => c.name);
        expect(names).toContain('Posted during the stop');
      } finally {
        await smtp.close();
      }
    },
  );
});

/** A token for a server whose owner already exists (the setup link is spent). */
async function loginToken(server: ServerProcess): Promise<string> {
  const session = await fetch(`${server.url}/api/admin/session`, {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench password 123' }),
  });
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const res = await fetch(`${server.url}/api/admin/tokens`, {
    method: 'POST',
    headers: { origin: server.url, cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'after restart' }),
  });
  return ((await res.json()) as { token: string }).token;
}
