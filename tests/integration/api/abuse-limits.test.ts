import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../helpers/harness.ts';

describe('limits on what strangers can make Herald do', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const mails = () =>
    existsSync(join(h.dir, 'mail')) ? readdirSync(join(h.dir, 'mail')).filter((f) => f.endsWith('.eml')).length : 0;
  const subscribe = async (email: string) => {
    const res = await h.call('POST', '/api/public/subscriptions', { as: null, body: { email } });
    await h.runtime.mailLoop.drain();
    return res;
  };

  it('stops confirmation mails at the owner’s hourly ceiling while answering every request the same way', async () => {
    expect((await h.call('PATCH', '/api/admin/settings', { body: { confirmation_mails_per_hour: 3 } })).status).toBe(
      200,
    );
    const answers = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((name) => subscribe(`${name}@example.com`)));
    expect(answers.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    const bodies = new Set(await Promise.all(answers.map((r) => r.text())));
    expect(bodies.size).toBe(1);
    expect(mails()).toBe(3);

    // An hour on, the ceiling has room again.
    h.clock.advance(2 * 3_600_000);
    expect((await subscribe('f@example.com')).status).toBe(202);
    expect(mails()).toBe(4);
  });

  it('refuses a ceiling that is not a positive whole number', async () => {
    const res = await h.call('PATCH', '/api/admin/settings', { body: { confirmation_mails_per_hour: 0 } });
    expect(res.status).toBe(422);
  });

  it('limits push subscription changes per client, with Retry-After', async () => {
    const keys = { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) };
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) {
      last = await h.call('POST', '/api/public/push/subscriptions', {
        as: null,
        body: { subscription: { endpoint: `https://fcm.googleapis.com/fcm/send/${i}`, keys } },
      });
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
