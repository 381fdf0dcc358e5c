import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { type AlertmanagerAlert, startAlertmanager } from '../helpers/alertmanager.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';

type Draft = { id: string; name: string; state: string; alert_count: number; alerts_resolved_at: string | null };
type Component = { id: string; name: string; status: string };

/** Polls until `check` holds, for the seconds Alertmanager's group timings take. */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a real Prometheus Alertmanager posting to Herald', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-am-'));
  let server: ServerProcess;
  let api: ReturnType<typeof adminApi>;
  let alertmanager: Awaited<ReturnType<typeof startAlertmanager>>;
  let apiComponent = '';
  let webComponent = '';
  let receiving = '';

  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
    api = adminApi(server, await ownerToken(server));
    apiComponent = (await api<Component>('POST', '/components', { name: 'API' })).id;
    webComponent = (await api<Component>('POST', '/components', { name: 'Web' })).id;
    const created = await api<{ integration: { id: string }; url: string; secret: string }>('POST', '/integrations', {
      name: 'Production Alertmanager',
      kind: 'alertmanager',
    });
    receiving = created.url;
    const id = created.integration.id;
    // First match wins: the API's alerts open a draft; the Web's only change its status.
    await api('POST', `/integrations/${id}/rules`, {
      matchers: [
        { label: 'service', op: '=', value: 'api' },
        { label: 'severity', op: '=~', value: 'critical|page' },
      ],
      component_ids: [apiComponent],
      component_status: 'major_outage',
      impact: 'critical',
      action: 'draft',
      resolve_action: 'suggest',
      hold_down_seconds: 0,
    });
    await api('POST', `/integrations/${id}/rules`, {
      matchers: [{ label: 'service', op: '=', value: 'web' }],
      component_ids: [webComponent],
      component_status: 'degraded_performance',
      impact: 'minor',
      action: 'component',
      resolve_action: 'restore',
      hold_down_seconds: 0,
    });
    alertmanager = await startAlertmanager(receiving);
  }, 60_000);
  afterAll(async () => {
    await alertmanager?.stop();
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const drafts = () => api<Draft[]>('GET', '/drafts');
  const components = () => api<Component[]>('GET', '/components');
  const publicIncidents = async () =>
    ((await (await fetch(`${server.url}/api/v2/incidents.json`)).json()) as { incidents: unknown[] }).incidents;

  it(
    'turns a firing alert into one draft, and another into a component status, leaving the page alone',
    { timeout: 60_000 },
    async () => {
      const startsAt = new Date().toISOString();
      const firing: AlertmanagerAlert[] = [
        {
          labels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical', instance: 'api-1' },
          annotations: { summary: 'Error rate above 5% on the API' },
          startsAt,
          generatorURL: 'http://prometheus.internal/graph?g0.expr=errors',
        },
        {
          labels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical', instance: 'api-2' },
          annotations: { summary: 'Error rate above 5% on the API' },
          startsAt,
        },
        { labels: { alertname: 'SlowPages', service: 'web', severity: 'warning' }, startsAt },
        { labels: { alertname: 'DiskFilling', service: 'batch', severity: 'info' }, startsAt },
      ];
      await alertmanager.post(firing);
      const open = await until(drafts, (d) => d.length === 1 && d[0]?.alert_count === 2, 'one draft of two alerts');
      expect(open[0]?.name).toBe('HighErrorRate');
      await until(
        components,
        (c) => c.find((x) => x.id === webComponent)?.status === 'degraded_performance',
        'Web degraded',
      );
      expect((await components()).find((c) => c.id === apiComponent)?.status).toBe('operational');
      // Re-sent (Alertmanager repeats a group; Prometheus re-posts every evaluation): no second draft.
      await alertmanager.post(firing);
      await new Promise((r) => setTimeout(r, 4_000));
      expect((await drafts()).length).toBe(1);
      expect((await drafts())[0]?.alert_count).toBe(2);
      expect(await publicIncidents()).toEqual([]);

      const detail = await api<{ recent_deliveries: Array<{ summary: string; outcome: string }> }>(
        'GET',
        `/integrations/${receiving.split('/').at(-2)}`,
      );
      expect(detail.recent_deliveries.length).toBeGreaterThan(0);
    },
  );

  it(
    'leads a resolved alert back as the rules say: the draft marked, the component operational',
    { timeout: 60_000 },
    async () => {
      const endsAt = new Date(Date.now() - 1000).toISOString();
      await alertmanager.post([
        { labels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical', instance: 'api-1' }, endsAt },
        { labels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical', instance: 'api-2' }, endsAt },
        { labels: { alertname: 'SlowPages', service: 'web', severity: 'warning' }, endsAt },
      ]);
      await until(components, (c) => c.find((x) => x.id === webComponent)?.status === 'operational', 'Web operational');
      const [draft] = await until(drafts, (d) => d[0]?.alerts_resolved_at !== null, 'the draft marked resolved');
      expect(draft?.state).toBe('open');
      expect(await publicIncidents()).toEqual([]);
    },
  );

  it('publishes only when a person approves the draft', { timeout: 30_000 }, async () => {
    const [draft] = await drafts();
    const incident = await api<{ id: string; name: string; impact: string }>('POST', `/drafts/${draft?.id}/approve`, {
      name: 'Elevated API errors',
    });
    expect(incident).toMatchObject({ name: 'Elevated API errors', impact: 'critical' });
    expect((await publicIncidents()).length).toBe(1);
    expect(await drafts()).toEqual([]);
  });
});
