import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testFromManageLink } from '../../../src/services/channel-subscriptions.ts';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';
import { type Received, receiverEnv, startChannelReceiver } from '../../helpers/channel-receiver.ts';

type Subscribed = { secret: string; manage_url: string };
type Delivery = {
  type: string;
  meta: { unsubscribe: string; manage: string };
  page: { id: string; status_indicator: string; status_description: string };
  incident?: {
    id: string;
    name: string;
    status: string;
    incident_updates: Array<{ status: string; body: string; affected_components: unknown[] | null }>;
  };
  component_update?: { component_id: string; old_status: string; new_status: string };
};

describe('webhook subscribers: Standard Webhooks signatures, Statuspage bodies, the same outbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-webhooks-'));
  const secrets = new Map<string, string>();
  // Every delivery is verified with the standardwebhooks package, not with Herald's code.
  const verify = (request: Received) => {
    const secret = secrets.get(request.path);
    if (!secret) throw new Error(`no secret for ${request.path}`);
    new Webhook(secret).verify(request.body, {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    });
  };
  let receiver: Awaited<ReturnType<typeof startChannelReceiver>>;
  let h: Harness;
  let api = '';
  let web = '';
  // The test delivery is signed with a secret the receiver learns only from the answer: accept it.
  let learning = true;

  beforeAll(async () => {
    receiver = await startChannelReceiver({
      check: (request) => {
        if (!learning) verify(request);
      },
    });
    h = await startHarness({ env: { ...receiverEnv(dir), HERALD_RETRY_BASE_MS: '10' } });
    api = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'API' } }))).id;
    web = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'Web' } }))).id;
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const subscribe = async (path: string, body: Record<string, unknown> = {}) => {
    learning = true;
    const response = await h.call('POST', '/api/public/subscriptions', {
      as: null,
      body: { channel: 'webhook', url: receiver.url(path), ...body },
    });
    learning = false;
    return response;
  };
  const deliveries = (path: string) =>
    receiver.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Delivery);

  it('subscribes only after a signed test delivery answered 2xx, and shows the secret once', async () => {
    const response = await subscribe('/all');
    expect(response.status).toBe(201);
    const done = await json<Subscribed>(response);
    expect(done.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    secrets.set('/all', done.secret);
    const [test] = receiver.received.filter((r) => r.path === '/all');
    expect(test).toBeDefined();
    if (test) verify(test);
    expect(JSON.parse(test?.body ?? '{}')).toMatchObject({ type: 'subscription.test' });
    expect(done.manage_url).toMatch(/\/subscriptions\/\d+\.\d+\./);
  });

  it('never hands a subscribed URL to whoever asks again: the endpoint is sent its manage link', async () => {
    const before = receiver.received.filter((r) => r.path === '/all').length;
    const again = await subscribe('/all');
    expect(again.status).toBe(200);
    const body = await json<Record<string, unknown>>(again);
    expect(body).not.toHaveProperty('secret');
    expect(body).not.toHaveProperty('manage_url');
    const sent = receiver.received.filter((r) => r.path === '/all');
    expect(sent).toHaveLength(before + 1);
    // Signed with the secret it had: nothing about the subscription changed.
    const last = sent.at(-1);
    if (last) verify(last);
    expect(JSON.parse(last?.body ?? '{}')).toMatchObject({
      type: 'subscription.test',
      meta: { manage: expect.stringMatching(/\/subscriptions\//) },
    });
  });

  it('keeps a subscription the team stopped stopped: its manage link cannot resume it', async () => {
    const [row] = await json<Array<{ id: number }>>(
      await h.call('GET', '/api/admin/subscribers?channel=webhook&search=%2Fall'),
    );
    expect((await h.call('PATCH', `/api/admin/subscribers/${row?.id}`, { body: { disabled: true } })).status).toBe(200);
    const last = receiver.received.filter((r) => r.path === '/all').at(-1);
    const manage = (JSON.parse(last?.body ?? '{}') as { meta: { manage: string } }).meta.manage;
    const token = new URL(manage).pathname.split('/').at(-1) ?? '';
    await expect(testFromManageLink(h.runtime.ctx, { token, client: '198.51.100.7', resume: true })).rejects.toThrow(
      /team stopped this subscription/,
    );
    const after = await json<Array<{ disabled_at: string | null; disabled_reason: string }>>(
      await h.call('GET', '/api/admin/subscribers?channel=webhook&search=%2Fall'),
    );
    expect(after[0]?.disabled_at).not.toBeNull();
    expect(after[0]?.disabled_reason).not.toMatch(/@/);
    expect((await h.call('PATCH', `/api/admin/subscribers/${row?.id}`, { body: { disabled: false } })).status).toBe(
      200,
    );
  });

  it('refuses an endpoint that does not answer 2xx, and stores nothing', async () => {
    const refusing = await startChannelReceiver({ answer: () => ({ status: 401 }) });
    try {
      const response = await h.call('POST', '/api/public/subscriptions', {
        as: null,
        body: { channel: 'webhook', url: refusing.url('/nope') },
      });
      expect(response.status).toBe(422);
      expect((await json<{ detail: string }>(response)).detail).toMatch(/test delivery failed.*401/);
      const list = await json<unknown[]>(await h.call('GET', '/api/admin/subscribers?channel=webhook'));
      expect(list).toHaveLength(1);
    } finally {
      await refusing.close();
    }
  });

  it('refuses loopback and private addresses unless allowlisted', async () => {
    for (const url of ['https://127.0.0.1:9/x', 'https://10.0.0.1/x', 'https://[::1]/x', 'http://example.com/x']) {
      const response = await h.call('POST', '/api/public/subscriptions', {
        as: null,
        body: { channel: 'webhook', url },
      });
      expect(response.status, url).toBe(422);
    }
  });

  it('delivers incidents in the Statuspage shape, and component changes as component_update', async () => {
    secrets.set('/web', (await json<Subscribed>(await subscribe('/web', { components: [web] }))).secret);
    const created = await json<{ id: string; code: string }>(
      await h.call('POST', '/api/admin/incidents', {
        body: {
          name: 'API outage',
          impact: 'critical',
          body: 'We are **on it**.',
          components: { [api]: 'major_outage' },
          notify: true,
        },
      }),
    );
    await h.runtime.notifier.drain();
    expect(receiver.rejected).toEqual([]);
    const all = deliveries('/all').filter((d) => d.type !== 'subscription.test');
    const incident = all.find((d) => d.type === 'incident.created');
    expect(incident?.incident).toMatchObject({ id: created.id, name: 'API outage', status: 'investigating' });
    expect(incident?.incident?.incident_updates[0]?.affected_components).toEqual([
      expect.objectContaining({ code: api, old_status: 'operational', new_status: 'major_outage' }),
    ]);
    expect(incident?.page.status_indicator).toBe('critical');
    expect(incident?.meta.unsubscribe).toMatch(/\/unsubscribe$/);
    const change = all.find((d) => d.type === 'component.updated');
    expect(change?.component_update).toMatchObject({
      component_id: api,
      old_status: 'operational',
      new_status: 'major_outage',
    });
    // The subscriber of Web alone heard nothing of an API incident.
    expect(deliveries('/web').filter((d) => d.type !== 'subscription.test')).toEqual([]);
  });

  it('retries with the same webhook-id, honouring Retry-After, and disables a receiver that is gone', async () => {
    let calls = 0;
    const flaky = await startChannelReceiver({
      answer: (request) => {
        if (JSON.parse(request.body).type === 'subscription.test') return { status: 204 };
        calls++;
        return calls === 1
          ? { status: 503, headers: { 'retry-after': '0' } }
          : calls === 2
            ? { status: 200 }
            : { status: 410 };
      },
    });
    try {
      const done = await json<Subscribed>(
        await h.call('POST', '/api/public/subscriptions', {
          as: null,
          body: { channel: 'webhook', url: flaky.url('/flaky') },
        }),
      );
      expect(done.secret).toBeDefined();
      const post = async (name: string) =>
        h.call('POST', '/api/admin/incidents', { body: { name, impact: 'minor', body: 'Looking.', notify: true } });
      await post('First');
      await h.runtime.notifier.drain();
      h.clock.advance(60_000);
      await h.runtime.notifier.drain();
      const firsts = flaky.received.filter((r) => JSON.parse(r.body).type === 'incident.created');
      expect(firsts).toHaveLength(2);
      expect(firsts[0]?.headers['webhook-id']).toBe(firsts[1]?.headers['webhook-id']);
      await post('Second');
      await h.runtime.notifier.drain();
      const list = await json<Array<{ target: string; disabled_at: string | null; disabled_reason: string }>>(
        await h.call('GET', '/api/admin/subscribers?channel=webhook&search=flaky'),
      );
      expect(list).toHaveLength(1);
      expect(list[0]?.disabled_at).not.toBeNull();
      expect(list[0]?.disabled_reason).toMatch(/410|gone/i);
    } finally {
      await flaky.close();
    }
  });

  it('follows one incident until it is resolved, then ends by itself', async () => {
    const created = await json<{ id: string; code: string }>(
      await h.call('POST', '/api/admin/incidents', {
        body: {
          name: 'Web slow',
          impact: 'minor',
          body: 'Looking.',
          components: { [web]: 'degraded_performance' },
          notify: true,
        },
      }),
    );
    await h.runtime.notifier.drain();
    secrets.set('/one', (await json<Subscribed>(await subscribe('/one', { incident: created.code }))).secret);
    const update = (status: string) =>
      h.call('POST', `/api/admin/incidents/${created.id}/updates`, {
        body: { status, body: `Now ${status}.`, notify: true },
      });
    expect((await update('identified')).status).toBe(201);
    await h.runtime.notifier.drain();
    expect((await update('resolved')).status).toBe(201);
    await h.runtime.notifier.drain();
    const other = await h.call('POST', '/api/admin/incidents', {
      body: { name: 'Unrelated', impact: 'minor', body: 'Looking.', notify: true },
    });
    expect(other.status).toBe(201);
    await h.runtime.notifier.drain();
    expect(receiver.rejected).toEqual([]);
    const heard = deliveries('/one').filter((d) => d.type !== 'subscription.test');
    // Its component's own change (back to operational) reaches it too: it follows the incident's every event.
    expect(heard.map((d) => [d.type, d.incident?.status ?? d.component_update?.new_status])).toEqual([
      ['incident.updated', 'identified'],
      ['incident.resolved', 'resolved'],
      ['component.updated', 'operational'],
    ]);
    h.clock.advance(2 * 3_600_000);
    const again = await subscribe('/one-late', { incident: created.code });
    expect(again.status).toBe(422);
  });
});
