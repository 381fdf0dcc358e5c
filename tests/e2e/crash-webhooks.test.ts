import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { loadConfig } from '../../src/config.ts';
import { startRuntime } from '../../src/runtime.ts';
import { SENT_BATCH } from '../../src/notify/worker.ts';
import { receiverEnv } from '../helpers/channel-receiver.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';
import { testCertificates } from '../helpers/test-ca.ts';

const SUBSCRIBERS = 2000;
/** The webhook sender's send slots (src/runtime.ts): the most that can be under way at the kill. */
const CONCURRENCY = 32;

type Delivery = { id: string; type: string };

/**
 * An HTTPS receiver (the test CA's certificate) that answers 200 a few milliseconds late, so the
 * kill lands while posts are under way, and checks every delivery's Standard Webhooks signature
 * with the standardwebhooks package under the secret of the subscriber its path names.
 */
async function startVerifyingReceiver(secrets: readonly string[], delayMs: number) {
  const { keyPem, certPem } = testCertificates();
  const deliveries = new Map<number, Delivery[]>();
  const rejected: string[] = [];
  const verify = (index: number, body: string, headers: IncomingHttpHeaders): Delivery => {
    const secret = secrets[index];
    if (!secret) throw new Error(`no subscriber ${index}`);
    new Webhook(secret).verify(body, {
      'webhook-id': String(headers['webhook-id']),
      'webhook-timestamp': String(headers['webhook-timestamp']),
      'webhook-signature': String(headers['webhook-signature']),
    });
    return { id: String(headers['webhook-id']), type: (JSON.parse(body) as { type: string }).type };
  };
  const server = createServer({ key: keyPem, cert: certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const index = Number(/^\/hook\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
      try {
        const delivery = verify(index, Buffer.concat(chunks).toString(), req.headers);
        deliveries.set(index, [...(deliveries.get(index) ?? []), delivery]);
      } catch (error) {
        rejected.push(`${req.url}: ${(error as Error).message}`);
        res.writeHead(400).end('rejected');
        return;
      }
      setTimeout(() => res.writeHead(200).end('ok'), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (index: number) => `https://localhost:${port}/hook/${index}`,
    deliveries,
    rejected,
    received: () => [...deliveries.values()].reduce((sum, list) => sum + list.length, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('a crash in the middle of a webhook fan-out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-crash-webhooks-'));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'loses no delivery: after SIGKILL and a restart every webhook has the update, repeats only from the batch in flight and with the same webhook-id',
    { timeout: 120_000 },
    async () => {
      const secrets = Array.from({ length: SUBSCRIBERS }, () => `whsec_${randomBytes(32).toString('base64')}`);
      const receiver = await startVerifyingReceiver(secrets, 3);
      const env = { DATABASE_PATH: join(dir, 'herald.db'), ...receiverEnv(dir) };
      try {
        // Webhook subscribers as a confirmed subscription leaves them, written straight into the file
        // (subscribing through the API would make a test delivery and meet its rate limit per address).
        const seed = await startRuntime(loadConfig(env), { scheduler: false, notifier: false });
        const at = new Date().toISOString();
        for (let i = 0; i < SUBSCRIBERS; i += 500) {
          await seed.db
            .insertInto('subscribers')
            .values(
              secrets.slice(i, i + 500).map((secret, j) => ({
                channel: 'webhook' as const,
                email: null,
                target_url: receiver.url(i + j),
                signing_secret: secret,
                all_components: 1 as const,
                confirmed_at: at,
                confirm_token_hash: null,
                confirm_expires_at: null,
                confirm_sent_at: null,
                disabled_at: null,
                created_at: at,
                updated_at: at,
              })),
            )
            .execute();
        }
        await seed.stop();

        server = await startServer(env);
        const api = adminApi(server, await ownerToken(server));
        await api('POST', '/incidents', { name: 'Crash test', body: 'Investigating.', components: {}, notify: true });

        const deadline = Date.now() + 60_000;
        while (receiver.received() < SUBSCRIBERS / 4 && receiver.rejected.length === 0) {
          if (Date.now() > deadline) throw new Error(`the fan-out did not get going\n${server.output()}`);
          await new Promise((r) => setTimeout(r, 10));
        }
        await server.kill(); // SIGKILL: no shutdown code runs
        const atCrash = receiver.received();
        expect(atCrash).toBeLessThan(SUBSCRIBERS);

        server = await startServer(env);
        const heard = () => receiver.deliveries.size + receiver.rejected.length;
        while (heard() < SUBSCRIBERS) {
          if (Date.now() > deadline)
            throw new Error(
              `only ${receiver.deliveries.size} of ${SUBSCRIBERS} webhooks received the update\n${server.output()}`,
            );
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, 300));
        expect(receiver.rejected).toEqual([]);

        const perSubscriber = secrets.map((_, i) => receiver.deliveries.get(i) ?? []);
        expect(perSubscriber.every((list) => list.every((d) => d.type === 'incident.created'))).toBe(true);
        expect(Math.min(...perSubscriber.map((list) => list.length))).toBe(1);
        expect(Math.max(...perSubscriber.map((list) => list.length))).toBeLessThanOrEqual(2);
        // A repeat carries the webhook-id of the first delivery, so the receiver can drop it.
        const repeated = perSubscriber.filter((list) => list.length > 1);
        expect(repeated.filter((list) => new Set(list.map((d) => d.id)).size !== 1)).toEqual([]);
        // Repeated: the posts in flight at the kill (at most one per send slot) and the sent ones
        // whose batch was not yet written (SENT_BATCH), each once at most.
        expect(repeated.length).toBeLessThanOrEqual(CONCURRENCY + SENT_BATCH);
        console.log(
          `webhook crash test: ${atCrash} delivered before the kill, ${repeated.length} delivered twice (same webhook-id)`,
        );
      } finally {
        await receiver.close();
      }
    },
  );
});
