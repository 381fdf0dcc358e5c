import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentView } from '../../../src/services/incident-view.ts';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';

describe('incidents through the admin API', () => {
  let h: Harness;
  let api: string;
  let web: string;

  beforeAll(async () => {
    h = await startHarness();
    api = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'API' } }))).id;
    web = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'Web' } }))).id;
  });
  afterAll(() => h.close());

  const status = async (id: string) =>
    (await json<{ status: string }>(await h.call('GET', `/api/admin/components/${id}`))).status;

  async function open(body: Record<string, unknown>): Promise<IncidentView> {
    const res = await h.call('POST', '/api/admin/incidents', { as: 'editor', body: { notify: false, ...body } });
    expect(res.status).toBe(201);
    return json<IncidentView>(res);
  }

  it('opens an incident with its first update and sets the component statuses it names', async () => {
    const incident = await open({
      name: 'Elevated API errors',
      status: 'investigating',
      body: 'We are looking into it.',
      components: { [api]: 'partial_outage' },
    });
    expect(incident).toMatchObject({
      name: 'Elevated API errors',
      status: 'investigating',
      impact: 'major',
      kind: 'incident',
    });
    expect(incident.code).toMatch(/^[a-z2-9]{8}$/);
    expect(incident.components).toEqual([{ id: api, name: 'API', status: 'partial_outage' }]);
    expect(incident.incident_updates).toHaveLength(1);
    expect(incident.incident_updates[0]?.affected_components).toEqual([
      { id: api, name: 'API', old_status: 'operational', new_status: 'partial_outage' },
    ]);
    expect(await status(api)).toBe('partial_outage');
  });

  it('keeps an explicit impact over the one derived from components', async () => {
    const incident = await open({ name: 'Slow dashboard', impact: 'minor', body: 'Slow.', components: {} });
    expect(incident.impact).toBe('minor');
    await h.call('POST', `/api/admin/incidents/${incident.id}/resolve`, { body: { notify: false } });
  });

  it('walks an incident through identified, monitoring and resolved, newest update first', async () => {
    const incident = await open({
      name: 'Login failures',
      body: 'Investigating.',
      components: { [web]: 'major_outage' },
    });
    for (const [step, body] of [
      ['identified', 'Found a bad deploy.'],
      ['monitoring', 'Rolled back.'],
    ] as const) {
      h.clock.advance(60_000);
      const res = await h.call('POST', `/api/admin/incidents/${incident.id}/updates`, {
        as: 'editor',
        body: { status: step, body, notify: false },
      });
      expect(res.status).toBe(201);
    }
    h.clock.advance(60_000);
    const resolved = await json<IncidentView>(
      await h.call('POST', `/api/admin/incidents/${incident.id}/resolve`, {
        as: 'editor',
        body: { body: 'All good.', notify: false },
      }),
    );
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolved_at).toBe(h.clock.now().toISOString());
    expect(resolved.incident_updates.map((u) => u.status)).toEqual([
      'resolved',
      'monitoring',
      'identified',
      'investigating',
    ]);
    expect(await status(web)).toBe('operational');
  });

  it('leaves a component alone on resolve while another open incident still holds it', async () => {
    const first = await open({ name: 'First', body: 'One.', components: { [web]: 'degraded_performance' } });
    const second = await open({ name: 'Second', body: 'Two.', components: { [web]: 'partial_outage' } });
    await h.call('POST', `/api/admin/incidents/${first.id}/resolve`, { body: { notify: false } });
    expect(await status(web)).toBe('partial_outage');
    await h.call('POST', `/api/admin/incidents/${second.id}/resolve`, { body: { notify: false } });
    expect(await status(web)).toBe('operational');
  });

  it('refuses to reopen a resolved incident with a clear conflict', async () => {
    const incident = await open({ name: 'Short blip', body: 'Blip.', components: {} });
    await h.call('POST', `/api/admin/incidents/${incident.id}/resolve`, { body: { notify: false } });
    const res = await h.call('POST', `/api/admin/incidents/${incident.id}/updates`, {
      body: { status: 'investigating', body: 'Again?', notify: false },
    });
    expect(res.status).toBe(409);
    expect((await json(res)).detail).toMatch(/resolved/);
  });

  it('corrects the text of a posted update, marks it edited and keeps the old text in the audit log', async () => {
    const incident = await open({ name: 'Typo', body: 'We are investigaitng.', components: {} });
    const updateId = incident.incident_updates[0]?.id ?? '';
    h.clock.advance(1000);
    const res = await h.call('PATCH', `/api/admin/incidents/${incident.id}/updates/${updateId}`, {
      as: 'editor',
      body: { body: 'We are investigating.' },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ body: 'We are investigating.', edited_at: h.clock.now().toISOString() });
    const audit = await json<Array<{ details: { previous_body: string } }>>(
      await h.call('GET', '/api/admin/audit-log?action=incident.update.correct'),
    );
    expect(audit[0]?.details.previous_body).toBe('We are investigaitng.');
  });

  it('lands two concurrent updates to one incident, both, in order', async () => {
    const incident = await open({ name: 'Race', body: 'Start.', components: {} });
    const [a, b] = await Promise.all([
      h.call('POST', `/api/admin/incidents/${incident.id}/updates`, {
        body: { status: 'identified', body: 'first', notify: false },
      }),
      h.call('POST', `/api/admin/incidents/${incident.id}/updates`, {
        body: { status: 'monitoring', body: 'second', notify: false },
      }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const view = await json<IncidentView>(await h.call('GET', `/api/admin/incidents/${incident.id}`));
    expect(view.incident_updates.map((u) => u.body)).toEqual(['second', 'first', 'Start.']);
    expect(view.status).toBe('monitoring');
  });

  it('saves a postmortem draft and publishes it once resolved', async () => {
    const incident = await open({ name: 'Outage', body: 'Down.', components: {} });
    expect(
      (
        await h.call('PUT', `/api/admin/incidents/${incident.id}/postmortem`, {
          body: { body: '## Summary\nA bad config.' },
        })
      ).status,
    ).toBe(200);
    const early = await h.call('POST', `/api/admin/incidents/${incident.id}/postmortem/publish`, {
      body: { notify: false },
    });
    expect(early.status).toBe(409);
    await h.call('POST', `/api/admin/incidents/${incident.id}/resolve`, { body: { notify: false } });
    // The bare outline is not a postmortem: publishing it is refused and nothing changes.
    await h.call('PUT', `/api/admin/incidents/${incident.id}/postmortem`, {
      body: { body: '## Summary\n\n## Root cause\n' },
    });
    const bare = await h.call('POST', `/api/admin/incidents/${incident.id}/postmortem/publish`, {
      body: { notify: false },
    });
    expect(bare.status).toBe(422);
    expect((await json<{ errors: unknown[] }>(bare)).errors).toEqual([
      { field: 'body', message: 'the postmortem has no public text besides headings' },
    ]);
    expect(
      (await json<IncidentView>(await h.call('GET', `/api/admin/incidents/${incident.id}`))).postmortem_published_at,
    ).toBeNull();
    await h.call('PUT', `/api/admin/incidents/${incident.id}/postmortem`, {
      body: { body: '## Summary\nA bad config.' },
    });
    const published = await json<IncidentView>(
      await h.call('POST', `/api/admin/incidents/${incident.id}/postmortem/publish`, { body: { notify: false } }),
    );
    expect(published.postmortem_published_at).toBe(h.clock.now().toISOString());
  });

  it('lists incidents by state with pagination headers', async () => {
    const res = await h.call('GET', '/api/admin/incidents?state=open&per_page=1', { as: 'viewer' });
    expect(res.status).toBe(200);
    const total = Number(res.headers.get('x-total-count'));
    expect(total).toBeGreaterThan(0);
    expect(await json<unknown[]>(res)).toHaveLength(1);
    expect(res.headers.get('link')).toContain('rel="last"');
  });

  it('finds incidents by words of their title, case aside, taking % and _ literally', async () => {
    await open({ name: 'Checkout 100% failing', body: 'x', components: {} });
    await open({ name: 'checkout slow', body: 'x', components: {} });
    await open({ name: 'Checkout_v2 errors', body: 'x', components: {} });
    const names = async (q: string) =>
      (
        await json<IncidentView[]>(
          await h.call('GET', `/api/admin/incidents?per_page=100&q=${encodeURIComponent(q)}`, { as: 'viewer' }),
        )
      )
        .map((i) => i.name)
        .sort();
    expect(await names('CHECKOUT')).toEqual(['Checkout 100% failing', 'Checkout_v2 errors', 'checkout slow']);
    expect(await names('100%')).toEqual(['Checkout 100% failing']);
    expect(await names('t_v')).toEqual(['Checkout_v2 errors']);
    expect(await names('%')).toEqual(['Checkout 100% failing']);
    const counted = await h.call('GET', '/api/admin/incidents?per_page=1&q=checkout');
    expect(counted.headers.get('x-total-count')).toBe('3');
  });

  it('renames an incident and changes its impact', async () => {
    const incident = await open({ name: 'Old name', body: 'x', components: {} });
    const res = await h.call('PATCH', `/api/admin/incidents/${incident.id}`, {
      body: { name: 'New name', impact: 'critical' },
    });
    expect(await json(res)).toMatchObject({ name: 'New name', impact: 'critical' });
  });

  it('deletes an open incident and hands its components back', async () => {
    const incident = await open({ name: 'Mistake', body: 'Oops.', components: { [api]: 'major_outage' } });
    const others = await json<IncidentView[]>(await h.call('GET', '/api/admin/incidents?state=open&per_page=100'));
    for (const other of others)
      if (other.id !== incident.id)
        await h.call('POST', `/api/admin/incidents/${other.id}/resolve`, { body: { notify: false } });
    expect((await h.call('DELETE', `/api/admin/incidents/${incident.id}`)).status).toBe(204);
    expect((await h.call('GET', `/api/admin/incidents/${incident.id}`)).status).toBe(404);
    expect(await status(api)).toBe('operational');
  });
});
