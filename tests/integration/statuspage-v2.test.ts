import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../helpers/harness.ts';
import { documents } from '../helpers/statuspage-schema.ts';

type Doc = Record<string, unknown> & { page: { id: string } };

describe('the Statuspage v2 public API', () => {
  let h: Harness;
  let api = '';
  let db = '';
  let hidden = '';
  let groupId = '';

  beforeAll(async () => {
    h = await startHarness();
    groupId = (
      await json<{ id: string }>(await h.call('POST', '/api/admin/component-groups', { body: { name: 'Core' } }))
    ).id;
    api = (
      await json<{ id: string }>(
        await h.call('POST', '/api/admin/components', { body: { name: 'API', group_id: groupId } }),
      )
    ).id;
    db = (
      await json<{ id: string }>(
        await h.call('POST', '/api/admin/components', { body: { name: 'Database', group_id: groupId } }),
      )
    ).id;
    hidden = (
      await json<{ id: string }>(
        await h.call('POST', '/api/admin/components', { body: { name: 'Internal', hidden: true } }),
      )
    ).id;
  });
  afterAll(() => h.close());

  async function all(): Promise<Record<keyof typeof documents, Doc>> {
    const out: Partial<Record<keyof typeof documents, Doc>> = {};
    for (const [path, schema] of Object.entries(documents) as Array<
      [keyof typeof documents, (typeof documents)[keyof typeof documents]]
    >) {
      const res = await h.call('GET', `/api/v2/${path}`, {
        as: null,
        headers: { origin: 'https://aggregator.example' },
      });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(res.headers.get('content-type'), path).toBe('application/json; charset=utf-8');
      const body = await json<Doc>(res);
      const parsed = schema.safeParse(body);
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${path} ${i.path.join('.')}: ${i.message}`)).toEqual(
        [],
      );
      out[path] = body;
    }
    return out as Record<keyof typeof documents, Doc>;
  }

  it('matches the published shape when everything is operational, groups included and hidden components left out', async () => {
    const docs = await all();
    expect(docs['status.json']).toMatchObject({
      status: { indicator: 'none', description: 'All Systems Operational' },
    });
    const components = docs['components.json'].components as Array<{
      id: string;
      group: boolean;
      components?: string[];
    }>;
    expect(components.map((c) => c.id)).not.toContain(hidden);
    expect(components.find((c) => c.id === groupId)).toMatchObject({ group: true, components: [api, db] });
    expect(new Set(Object.values(docs).map((d) => d.page.id)).size).toBe(1);
  });

  it('shows an unresolved incident with its component changes, and then resolved', async () => {
    const incident = await json<{ id: string; code: string }>(
      await h.call('POST', '/api/admin/incidents', {
        body: {
          name: 'API errors',
          body: 'Looking.',
          components: { [api]: 'partial_outage', [hidden]: 'major_outage' },
          notify: false,
        },
      }),
    );
    await h.call('POST', `/api/admin/incidents/${incident.id}/updates`, {
      body: { status: 'monitoring', body: 'Fix out.', notify: false },
    });
    let docs = await all();
    expect(docs['status.json']).toMatchObject({ status: { indicator: 'major', description: 'Partial System Outage' } });
    const [open] = docs['incidents/unresolved.json'].incidents as Array<
      Record<string, unknown> & { incident_updates: Array<Record<string, unknown>> }
    >;
    expect(open).toMatchObject({
      id: incident.id,
      status: 'monitoring',
      impact: 'major',
      shortlink: `http://localhost:4321/incidents/${incident.code}`,
    });
    expect(open?.monitoring_at).toBe(open?.incident_updates[0]?.created_at);
    expect(open?.incident_updates.at(-1)?.affected_components).toEqual([
      { code: api, name: 'API', old_status: 'operational', new_status: 'partial_outage' },
    ]);
    expect(JSON.stringify(docs)).not.toContain('Internal');
    expect((docs['summary.json'].incidents as unknown[]).length).toBe(1);

    await h.call('POST', `/api/admin/incidents/${incident.id}/resolve`, { body: { notify: false } });
    docs = await all();
    expect(docs['incidents/unresolved.json'].incidents).toEqual([]);
    expect((docs['incidents.json'].incidents as Array<{ status: string; resolved_at: string }>)[0]).toMatchObject({
      status: 'resolved',
      resolved_at: expect.any(String),
    });
  });

  it('lists upcoming and active maintenance with impact "maintenance"', async () => {
    const now = h.clock.now().getTime();
    const upcoming = await json<{ id: string }>(
      await h.call('POST', '/api/admin/maintenance', {
        body: {
          name: 'Upgrade',
          body: 'Soon.',
          components: [db],
          scheduled_for: new Date(now + 86_400_000).toISOString(),
          scheduled_until: new Date(now + 90_000_000).toISOString(),
          notify: false,
        },
      }),
    );
    const active = await json<{ id: string }>(
      await h.call('POST', '/api/admin/maintenance', {
        body: {
          name: 'Move',
          body: 'Now.',
          components: [api],
          scheduled_for: new Date(now).toISOString(),
          scheduled_until: new Date(now + 3_600_000).toISOString(),
          auto_start: false,
          notify: false,
        },
      }),
    );
    await h.call('POST', `/api/admin/maintenance/${active.id}/start`, { body: { notify: false } });
    const docs = await all();
    expect(
      (docs['scheduled-maintenances/upcoming.json'].scheduled_maintenances as Array<{ id: string }>).map((m) => m.id),
    ).toEqual([upcoming.id]);
    expect(
      docs['scheduled-maintenances/active.json'].scheduled_maintenances as Array<{ id: string; status: string }>,
    ).toEqual([expect.objectContaining({ id: active.id, status: 'in_progress', impact: 'maintenance' })]);
    expect((docs['summary.json'].scheduled_maintenances as unknown[]).length).toBe(2);
    expect(docs['status.json']).toMatchObject({
      status: { indicator: 'maintenance', description: 'Service Under Maintenance' },
    });
  });

  it('answers preflight requests and unknown documents', async () => {
    const preflight = await h.call('OPTIONS', '/api/v2/summary.json', {
      as: null,
      headers: { origin: 'https://x.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const missing = await h.call('GET', '/api/v2/nothing.json', { as: null });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });

  it('is served from the site cache and re-rendered only after a write', async () => {
    await h.call('GET', '/api/v2/summary.json', { as: null });
    const rendersBefore = h.runtime.siteCache.renders;
    for (let i = 0; i < 20; i++)
      expect((await h.call('GET', '/api/v2/summary.json', { as: null })).headers.get('x-cache')).toBe('HIT');
    expect(h.runtime.siteCache.renders).toBe(rendersBefore);
    await h.call('PATCH', `/api/admin/components/${db}`, { body: { status: 'major_outage' } });
    const after = await json<{ status: { indicator: string } }>(
      await h.call('GET', '/api/v2/summary.json', { as: null }),
    );
    expect(after.status.indicator).toBe('critical');
  });
});
