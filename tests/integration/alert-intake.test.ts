import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleHeldBackAlerts } from '../../src/services/alert-intake.ts';
import { type Harness, json, startHarness } from '../helpers/harness.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/alerts', name), 'utf8')) as Record<string, unknown>;

type Created = { integration: { id: string }; url: string; secret: string };
type Draft = { id: string; name: string; alert_count: number; alerts_resolved_at: string | null };

describe('alerts from Grafana, any JSON and storms, through the real app', () => {
  let h: Harness;
  let api = '';
  let web = '';

  beforeAll(async () => {
    h = await startHarness();
    api = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'API' } }))).id;
    web = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'Web' } }))).id;
  });
  afterAll(() => h.close());

  const integration = async (body: Record<string, unknown>) =>
    json<Created>(await h.call('POST', '/api/admin/integrations', { body }));
  const rule = async (id: string, body: Record<string, unknown>) =>
    expect((await h.call('POST', `/api/admin/integrations/${id}/rules`, { body })).status).toBe(201);
  /** Posts to a receiving URL as a monitoring tool does: no Herald token, the secret in the path. */
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    h.call('POST', new URL(url).pathname, { as: null, body, headers });
  const drafts = async () => json<Draft[]>(await h.call('GET', '/api/admin/drafts'));
  const publicIncidents = async () =>
    (
      await json<{ incidents: Array<{ name: string; status: string }> }>(
        await h.call('GET', '/api/v2/incidents.json', { as: null }),
      )
    ).incidents;

  it('refuses unknown, wrong, revoked and malformed requests with problem+json', async () => {
    const created = await integration({ name: 'Grafana', kind: 'grafana' });
    const path = new URL(created.url).pathname;
    const wrong = await h.call('POST', path.replace(created.secret, 'hin_wrong'), {
      as: null,
      body: fixture('grafana-firing.json'),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toBe('application/problem+json');
    const noSecret = await h.call('POST', path.replace(`/${created.secret}`, ''), { as: null, body: {} });
    expect(noSecret.status).toBe(401);
    const asWrongKind = await h.call('POST', path.replace('/grafana/', '/alertmanager/'), { as: null, body: {} });
    expect(asWrongKind.status).toBe(401);
    const malformed = await post(created.url, { alerts: 'many' });
    expect(malformed.status).toBe(422);
    expect((await json<{ detail: string }>(malformed)).detail).toMatch(/grafana payload is not valid/);
    const notJson = await h.call('POST', path, {
      as: null,
      body: 'alerts=1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(notJson.status).toBe(415);
    const huge = await h.call('POST', path, { as: null, body: JSON.stringify({ pad: 'x'.repeat(3 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    // A bearer token works where the path has no secret.
    const bearer = await h.call('POST', path.replace(`/${created.secret}`, ''), {
      as: null,
      body: fixture('grafana-firing.json'),
      headers: { authorization: `Bearer ${created.secret}` },
    });
    expect(bearer.status).toBe(202);
    await h.call('POST', `/api/admin/integrations/${created.integration.id}/revoke`);
    expect((await post(created.url, fixture('grafana-firing.json'))).status).toBe(401);
    const listed = await json<{ recent_deliveries: Array<{ summary: string }> }>(
      await h.call('GET', `/api/admin/integrations/${created.integration.id}`),
    );
    expect(listed.recent_deliveries.map((d) => d.summary)).toContain('an invalid payload');
  });

  it("reads Grafana's documented payload into a draft for its rule", async () => {
    const created = await integration({ name: 'Grafana prod', kind: 'grafana' });
    await rule(created.integration.id, {
      matchers: [{ label: 'team', op: '=', value: 'blue' }],
      component_ids: [web],
      component_status: 'partial_outage',
      impact: 'major',
    });
    const answer = await json<{ received: number; fired: number }>(
      await post(created.url, fixture('grafana-firing.json')),
    );
    expect(answer.fired).toBeGreaterThan(0);
    const mine = (await drafts()).filter((d) => d.name === 'High memory usage');
    expect(mine).toHaveLength(1);
    expect(await publicIncidents()).toEqual([]);
  });

  it('reads any JSON through a field mapping', async () => {
    const created = await integration({
      name: 'OpenStatus',
      kind: 'generic',
      // The monitor's id is its identity: the failure and the recovery carry different timestamps.
      field_mapping: {
        name: 'monitor.name',
        state: 'status',
        resolvedValue: 'recovered',
        summary: 'errorMessage',
        fingerprint: 'monitor.id',
      },
    });
    await rule(created.integration.id, {
      component_ids: [api],
      action: 'component',
      resolve_action: 'restore',
      hold_down_seconds: 0,
    });
    await post(created.url, fixture('generic-openstatus-error.json'));
    const status = async () =>
      (await json<Array<{ id: string; status: string }>>(await h.call('GET', '/api/admin/components'))).find(
        (c) => c.id === api,
      )?.status;
    expect(await status()).toBe('major_outage');
    await post(created.url, fixture('generic-openstatus-recovered.json'));
    expect(await status()).toBe('operational');
  });

  it('publishes at once only where a rule opts in, and resolves only when the rule says so', async () => {
    const template = await json<{ id: string }>(
      await h.call('POST', '/api/admin/templates', {
        body: {
          name: 'Outage',
          kind: 'incident',
          status: 'investigating',
          title: '{{components}} unavailable',
          body: 'We are investigating an outage of {{components}}.',
        },
      }),
    );
    const created = await integration({ name: 'Pager', kind: 'alertmanager' });
    await rule(created.integration.id, {
      matchers: [{ label: 'severity', op: '=', value: 'page' }],
      component_ids: [web],
      component_status: 'major_outage',
      impact: 'critical',
      action: 'publish',
      template_id: template.id,
      resolve_action: 'resolve',
      hold_down_seconds: 0,
    });
    const alert = (status: 'firing' | 'resolved') => ({
      version: '4',
      groupKey: '{}:{alertname="WebDown"}',
      status,
      receiver: 'herald',
      groupLabels: { alertname: 'WebDown' },
      commonLabels: { alertname: 'WebDown', severity: 'page' },
      commonAnnotations: {},
      externalURL: 'http://alertmanager.internal',
      truncatedAlerts: 0,
      alerts: [
        {
          status,
          labels: { alertname: 'WebDown', severity: 'page' },
          annotations: { summary: 'Web is down' },
          startsAt: '2026-11-23T09:59:00Z',
          endsAt: status === 'resolved' ? '2026-11-23T10:05:00Z' : '0001-01-01T00:00:00Z',
          generatorURL: 'http://prometheus.internal/graph',
          fingerprint: 'f00dfeed00000001',
        },
      ],
    });
    expect((await post(created.url, alert('firing'))).status).toBe(202);
    expect((await post(created.url, alert('firing'))).status).toBe(202);
    const published = (await publicIncidents()).filter((i) => i.name === 'Web unavailable');
    expect(published).toHaveLength(1);
    expect(published[0]?.status).toBe('investigating');
    await post(created.url, alert('resolved'));
    expect((await publicIncidents()).find((i) => i.name === 'Web unavailable')?.status).toBe('resolved');
  });

  it('keeps a storm of 1,000 alerts across 50 fingerprints to one draft, the page untouched', async () => {
    const created = await integration({ name: 'Storm', kind: 'alertmanager' });
    await rule(created.integration.id, {
      matchers: [{ label: 'alertname', op: '=~', value: 'Storm.*' }],
      component_ids: [api],
      impact: 'major',
      hold_down_seconds: 300,
    });
    const before = (await drafts()).length;
    const incidentsBefore = (await publicIncidents()).length;
    for (let batch = 0; batch < 20; batch++) {
      const alerts = Array.from({ length: 50 }, (_, i) => ({
        status: 'firing',
        labels: { alertname: `Storm${i % 5}`, instance: `host-${i}` },
        annotations: { summary: `host-${i} is unhappy` },
        startsAt: '2026-11-23T09:59:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: '',
        fingerprint: `storm${String(i).padStart(4, '0')}`,
      }));
      const answer = await post(created.url, {
        version: '4',
        groupKey: `storm-${batch}`,
        status: 'firing',
        receiver: 'herald',
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: '',
        alerts,
      });
      expect(answer.status).toBe(202);
      h.clock.advance(3_000);
    }
    const after = await drafts();
    expect(after.length - before).toBe(1);
    expect(after.find((d) => d.name.startsWith('Storm'))?.alert_count).toBe(50);
    expect((await publicIncidents()).length).toBe(incidentsBefore);
  });

  it('publishes a draft once when two people approve it at the same moment', async () => {
    const created = await integration({ name: 'Twice', kind: 'alertmanager' });
    // A component of its own: the approved incident leaves it in an outage.
    const queue = (
      await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'Queue' } }))
    ).id;
    await rule(created.integration.id, {
      matchers: [{ label: 'alertname', op: '=', value: 'Twice' }],
      component_ids: [queue],
    });
    await post(created.url, {
      version: '4',
      groupKey: 'twice',
      status: 'firing',
      receiver: 'herald',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: '',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'Twice' },
          annotations: {},
          startsAt: '2026-11-23T09:59:00Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: '',
          fingerprint: 'twice0001',
        },
      ],
    });
    const draft = (await drafts()).find((d) => d.name === 'Twice');
    const before = (await publicIncidents()).length;
    const [a, b] = await Promise.all([
      h.call('POST', `/api/admin/drafts/${draft?.id}/approve`, { body: {} }),
      h.call('POST', `/api/admin/drafts/${draft?.id}/approve`, { as: 'editor', body: {} }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect((await publicIncidents()).length).toBe(before + 1);
    const dismissed = await h.call('POST', `/api/admin/drafts/${draft?.id}/dismiss`, { body: { reason: 'too late' } });
    expect(dismissed.status).toBe(409);
  });

  it('damps a flapping alert with the hold-down', async () => {
    const created = await integration({ name: 'Flappy', kind: 'alertmanager' });
    await rule(created.integration.id, {
      component_ids: [web],
      component_status: 'degraded_performance',
      action: 'component',
      resolve_action: 'restore',
      hold_down_seconds: 600,
    });
    const send = (status: 'firing' | 'resolved') =>
      post(created.url, {
        version: '4',
        groupKey: 'flap',
        status,
        receiver: 'herald',
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: '',
        alerts: [
          {
            status,
            labels: { alertname: 'Flap' },
            annotations: {},
            startsAt: '2026-11-23T09:59:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: '',
            fingerprint: 'flap0001',
          },
        ],
      });
    const status = async () =>
      (await json<Array<{ id: string; status: string }>>(await h.call('GET', '/api/admin/components'))).find(
        (c) => c.id === web,
      )?.status;
    await send('firing');
    expect(await status()).toBe('degraded_performance');
    h.clock.advance(60_000);
    await send('resolved');
    expect(await status()).toBe('degraded_performance');
    h.clock.advance(60_000);
    await send('firing');
    await send('resolved');
    expect(await status()).toBe('degraded_performance');
    // Alertmanager sends a resolution once: the scheduler's sweep applies it after the hold-down.
    expect(await settleHeldBackAlerts(h.runtime.ctx)).toBe(0);
    h.clock.advance(600_000);
    expect(await settleHeldBackAlerts(h.runtime.ctx)).toBe(1);
    expect(await status()).toBe('operational');
  });
});
