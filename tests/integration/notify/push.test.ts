import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushSender } from '../../../src/notify/push-sender.ts';
import { BASE, type Harness, json, startHarness } from '../../helpers/harness.ts';
import { type PushReceiver, startPushReceiver } from '../../helpers/push-receiver.ts';

describe('browser push through the outbox, to a push receiver that decrypts', () => {
  let receiver: PushReceiver;
  let h: Harness;
  let api = '';
  let web = '';

  beforeAll(async () => {
    receiver = await startPushReceiver(() => h.runtime.vapid.publicKey);
    h = await startHarness({
      env: { HERALD_PUSH_HOSTS: '127.0.0.1', HERALD_RETRY_BASE_MS: '10' },
      // The receiver's certificate is made by the test, so the agent is told to trust it.
      senders: (ctx, vapid) => [
        new PushSender(ctx, {
          vapid: { ...vapid, subject: 'mailto:ops@acme.test' },
          baseUrl: BASE,
          concurrency: 10,
          agent: new Agent({ ca: receiver.cert, keepAlive: true }),
        }),
      ],
    });
    await h.call('PATCH', '/api/admin/settings', { body: { page_name: 'Acme' } });
    api = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'API' } }))).id;
    web = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'Web' } }))).id;
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  const subscribe = (subscription: unknown, components: string[] | 'all' = 'all') =>
    h.call('POST', '/api/public/push/subscriptions', { as: null, body: { subscription, components } });
  const incident = async (name: string, components: Record<string, string>, impact = 'critical') =>
    json<{ id: string; code: string; incident_updates: Array<{ id: string }> }>(
      await h.call('POST', '/api/admin/incidents', {
        body: { name, impact, body: 'We are on it.', components, notify: true },
      }),
    );

  it('serves the VAPID public key, made once and kept across restarts', async () => {
    const key = (await json<{ publicKey: string }>(await h.call('GET', '/api/public/push/key', { as: null })))
      .publicKey;
    expect(key).toMatch(/^[\w-]{87}$/);
    await h.restart();
    expect(
      (await json<{ publicKey: string }>(await h.call('GET', '/api/public/push/key', { as: null }))).publicKey,
    ).toBe(key);
  });

  it('encrypts each message for its browser and signs it with VAPID, with TTL, Urgency and Topic', async () => {
    const all = receiver.newBrowser();
    const apiOnly = receiver.newBrowser();
    const webOnly = receiver.newBrowser();
    expect((await subscribe(all.subscription)).status).toBe(201);
    expect((await subscribe(apiOnly.subscription, [api])).status).toBe(201);
    expect((await subscribe(webOnly.subscription, [web])).status).toBe(201);
    const created = await incident('API outage', { [api]: 'major_outage' });
    await h.runtime.notifier.drain();

    expect(receiver.errors).toEqual([]);
    const got = (b: { id: string }) => receiver.received.filter((r) => r.browser === b.id);
    expect(got(webOnly)).toHaveLength(0);
    for (const browser of [all, apiOnly]) {
      const [message] = got(browser);
      expect(message?.payload).toMatchObject({
        title: 'Acme: API outage',
        body: expect.stringContaining('Investigating — We are on it.'),
        url: `${BASE}/incidents/${created.code}#update-${created.incident_updates[0]?.id}`,
        tag: `incident-${created.id}`,
      });
      expect(message?.headers.ttl).toBe('86400');
      expect(message?.headers.urgency).toBe('high');
      expect(message?.headers.topic).toBe(created.id);
      expect(message?.jwt.aud).toBe(receiver.origin);
      expect(message?.jwt.sub).toBe('mailto:ops@acme.test');
      expect(message?.jwt.exp).toBeGreaterThan(Date.now() / 1000);
    }
  });

  it('sends normal urgency for minor incidents and keeps payloads under 4 KB', async () => {
    const browser = receiver.newBrowser();
    await subscribe(browser.subscription);
    await h.call('POST', '/api/admin/incidents', {
      body: { name: 'Long one', impact: 'minor', body: 'x'.repeat(15_000), components: {}, notify: true },
    });
    await h.runtime.notifier.drain();
    const message = receiver.received.find((r) => r.browser === browser.id);
    expect(message?.headers.urgency).toBe('normal');
    expect(JSON.stringify(message?.payload).length).toBeLessThan(3100);
  });

  it('removes a subscription the push service says is gone (410)', async () => {
    const browser = receiver.newBrowser();
    await subscribe(browser.subscription);
    receiver.setPolicy((id) => (id === browser.id ? { status: 410 } : { status: 201 }));
    await incident('Gone check', {});
    await h.runtime.notifier.drain();
    const rows = await h.runtime.db
      .selectFrom('subscribers')
      .select('id')
      .where('push_endpoint', '=', browser.endpoint)
      .execute();
    expect(rows).toHaveLength(0);
    receiver.setPolicy(() => ({ status: 201 }));
  });

  it('retries after a 503, waiting as long as Retry-After says', async () => {
    const browser = receiver.newBrowser();
    await subscribe(browser.subscription);
    receiver.setPolicy((id, attempt) =>
      id === browser.id && attempt === 1 ? { status: 503, headers: { 'retry-after': '120' } } : { status: 201 },
    );
    await incident('Busy push service', {});
    await h.runtime.notifier.drain();
    expect(receiver.received.filter((r) => r.browser === browser.id)).toHaveLength(0);
    const delivery = await h.runtime.db
      .selectFrom('deliveries')
      .selectAll()
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    expect(Date.parse(delivery.next_attempt_at) - h.clock.now().getTime()).toBe(120_000);
    h.clock.advance(60_000);
    await h.runtime.notifier.drain();
    expect(receiver.received.filter((r) => r.browser === browser.id)).toHaveLength(0);
    h.clock.advance(61_000);
    await h.runtime.notifier.drain();
    expect(receiver.received.filter((r) => r.browser === browser.id)).toHaveLength(1);
    receiver.setPolicy(() => ({ status: 201 }));
  });

  it('lets the browser that holds a subscription change and end it, and nobody else', async () => {
    const browser = receiver.newBrowser();
    await subscribe(browser.subscription, [api]);
    const own = { endpoint: browser.endpoint, auth: browser.subscription.keys.auth };
    expect(await json(await h.call('POST', '/api/public/push/subscriptions/lookup', { as: null, body: own }))).toEqual({
      components: [api],
    });
    await subscribe(browser.subscription, 'all');
    expect(await json(await h.call('POST', '/api/public/push/subscriptions/lookup', { as: null, body: own }))).toEqual({
      components: 'all',
    });
    const forged = await h.call('POST', '/api/public/push/subscriptions/delete', {
      as: null,
      body: { ...own, auth: 'AAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(forged.status).toBe(403);
    expect((await h.call('POST', '/api/public/push/subscriptions/delete', { as: null, body: own })).status).toBe(204);
    expect((await h.call('POST', '/api/public/push/subscriptions/lookup', { as: null, body: own })).status).toBe(404);
  });

  it('refuses endpoints that are not push services, and malformed keys', async () => {
    const browser = receiver.newBrowser();
    const evil = await subscribe({ ...browser.subscription, endpoint: 'https://internal.example/admin' });
    expect(evil.status).toBe(422);
    expect(await evil.text()).toContain('not a known browser push service');
    const plain = await subscribe({ ...browser.subscription, endpoint: browser.endpoint.replace('https:', 'http:') });
    expect(plain.status).toBe(422);
    const badKey = await subscribe({
      ...browser.subscription,
      keys: { p256dh: 'short', auth: browser.subscription.keys.auth },
    });
    expect(badKey.status).toBe(422);
  });
});
