import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { SENT_BATCH } from '../../src/notify/worker.ts';

const SUBSCRIBERS = 2000;
const CONNECTIONS = 5;

describe('a crash in the middle of a fan-out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-crash-'));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'loses no delivery: after SIGKILL and a restart every subscriber has the update once, give or take the mails in flight',
    { timeout: 120_000 },
    async () => {
      // A slow mail server, so the kill lands while mails are going out.
      const smtp = await startSmtpSink({ parse: false, delayMs: 3 });
      const env = { DATABASE_PATH: join(dir, 'herald.db'), SMTP_URL: smtp.url, SMTP_CONNECTIONS: String(CONNECTIONS) };
      try {
        server = await startServer(env);
        const api = adminApi(server, await ownerToken(server));
        const csv = Array.from({ length: SUBSCRIBERS }, (_, i) => `crash${i}@example.com`).join('\n');
        expect(await api('POST', '/subscribers/import', { csv })).toEqual({ imported: SUBSCRIBERS, skipped: 0 });
        await api('POST', '/incidents', { name: 'Crash test', body: 'Investigating.', components: {}, notify: true });

        const total = () => [...smtp.counts.values()].reduce((a, b) => a + b, 0);
        while (total() < SUBSCRIBERS / 4) await new Promise((r) => setTimeout(r, 10));
        await server.kill(); // SIGKILL: no shutdown code runs
        const atCrash = total();
        expect(atCrash).toBeLessThan(SUBSCRIBERS);

        server = await startServer(env);
        const deadline = Date.now() + 60_000;
        while ([...Array(SUBSCRIBERS).keys()].some((i) => !smtp.counts.get(`crash${i}@example.com`))) {
          if (Date.now() > deadline)
            throw new Error(
              `only ${smtp.counts.size} of ${SUBSCRIBERS} subscribers received the update\n${server.output()}`,
            );
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, 300));
        const perSubscriber = [...Array(SUBSCRIBERS).keys()].map((i) => smtp.counts.get(`crash${i}@example.com`) ?? 0);
        const duplicates = perSubscriber.filter((n) => n > 1).length;
        expect(Math.min(...perSubscriber)).toBe(1);
        expect(Math.max(...perSubscriber)).toBeLessThanOrEqual(2);
        // Repeated: the mails in flight at the kill (one per sending slot, two per SMTP connection)
        // and the sent ones whose batch was not yet written (SENT_BATCH), each once at most.
        expect(duplicates).toBeLessThanOrEqual(CONNECTIONS * 2 + SENT_BATCH);
      } finally {
        await smtp.close();
      }
    },
  );
});
