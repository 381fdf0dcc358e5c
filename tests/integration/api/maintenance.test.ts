import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenanceSchedule } from '../../../src/services/maintenance.ts';
import type { IncidentView } from '../../../src/services/incident-view.ts';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';

describe('scheduled maintenance through the admin API', () => {
  let h: Harness;
  let db: string;
  let queue: string;

  beforeAll(async () => {
    h = await startHarness();
    db = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'Database' } }))).id;
    queue = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'Queue' } }))).id;
  });
  afterAll(() => h.close());

  const status = async (id: string) =>
    (await json<{ status: string }>(await h.call('GET', `/api/admin/components/${id}`))).status;

  async function schedule(body: Record<string, unknown>): Promise<IncidentView> {
    const res = await h.call('POST', '/api/admin/maintenance', {
      as: 'editor',
      body: { notify: false, body: 'Upgrading.', ...body },
    });
    expect(res.status).toBe(201);
    return json<IncidentView>(res);
  }

  it('schedules a window without touching component statuses', async () => {
    const m = await schedule({
      name: 'DB upgrade',
      components: [db],
      scheduled_for: '2026-11-23T12:00:00Z',
      scheduled_until: '2026-11-23T13:00:00Z',
    });
    expect(m).toMatchObject({
      kind: 'maintenance',
      status: 'scheduled',
      scheduled_for: '2026-11-23T12:00:00.000Z',
      scheduled_until: '2026-11-23T13:00:00.000Z',
    });
    expect(await status(db)).toBe('operational');
  });

  it('is started and completed by the scheduler at the window times, moving components under maintenance and back', async () => {
    const m = await schedule({
      name: 'Queue move',
      components: [queue],
      scheduled_for: '2026-11-23T10:30:00Z',
      scheduled_until: '2026-11-23T11:00:00Z',
    });
    expect((await runMaintenanceSchedule(h.runtime.ctx)).started).not.toContain(m.id);
    h.clock.set('2026-11-23T10:30:00Z');
    expect((await runMaintenanceSchedule(h.runtime.ctx)).started).toContain(m.id);
    expect(await status(queue)).toBe('under_maintenance');
    h.clock.set('2026-11-23T11:00:01Z');
    expect((await runMaintenanceSchedule(h.runtime.ctx)).completed).toContain(m.id);
    expect(await status(queue)).toBe('operational');
    const view = await json<IncidentView>(await h.call('GET', `/api/admin/maintenance/${m.id}`));
    expect(view.incident_updates.map((u) => [u.status, u.author])).toEqual([
      ['completed', 'scheduler'],
      ['in_progress', 'scheduler'],
      ['scheduled', 'editor@example.com (token editor token)'],
    ]);
  });

  it('leaves a window that did not ask for automation to the people', async () => {
    h.clock.set('2026-11-23T14:00:00Z');
    const m = await schedule({
      name: 'Manual',
      components: [],
      scheduled_for: '2026-11-23T14:00:00Z',
      scheduled_until: '2026-11-23T15:00:00Z',
      auto_start: false,
    });
    expect((await runMaintenanceSchedule(h.runtime.ctx)).started).not.toContain(m.id);
    const started = await json<IncidentView>(
      await h.call('POST', `/api/admin/maintenance/${m.id}/start`, { body: { notify: false } }),
    );
    expect(started.status).toBe('in_progress');
    const verifying = await json<IncidentView>(
      await h.call('POST', `/api/admin/maintenance/${m.id}/verify`, { body: { notify: false } }),
    );
    expect(verifying.status).toBe('verifying');
  });

  it('does not put a broken component under maintenance, and completing leaves the outage shown', async () => {
    h.clock.set('2026-11-23T16:00:00Z');
    const incident = await json<IncidentView>(
      await h.call('POST', '/api/admin/incidents', {
        body: { name: 'DB down', body: 'Down.', components: { [db]: 'major_outage' }, notify: false },
      }),
    );
    const m = await schedule({
      name: 'Emergency',
      components: [db],
      scheduled_for: '2026-11-23T16:00:00Z',
      scheduled_until: '2026-11-23T17:00:00Z',
    });
    await h.call('POST', `/api/admin/maintenance/${m.id}/start`, { body: { notify: false } });
    expect(await status(db)).toBe('major_outage');
    await h.call('POST', `/api/admin/maintenance/${m.id}/complete`, { body: { notify: false } });
    expect(await status(db)).toBe('major_outage');
    await h.call('POST', `/api/admin/incidents/${incident.id}/resolve`, { body: { notify: false } });
    expect(await status(db)).toBe('operational');
  });

  it('cancels a scheduled window but not one under way', async () => {
    const m = await schedule({
      name: 'Maybe',
      components: [],
      scheduled_for: '2026-12-01T10:00:00Z',
      scheduled_until: '2026-12-01T11:00:00Z',
    });
    const cancelled = await json<IncidentView>(
      await h.call('POST', `/api/admin/maintenance/${m.id}/cancel`, { body: { notify: false } }),
    );
    expect(cancelled.status).toBe('completed');
    expect(cancelled.cancelled_at).not.toBeNull();
    const again = await h.call('POST', `/api/admin/maintenance/${m.id}/cancel`, { body: { notify: false } });
    expect(again.status).toBe(409);
  });

  it('moves a scheduled window and refuses one that ends before it starts', async () => {
    const m = await schedule({
      name: 'Movable',
      components: [db],
      scheduled_for: '2026-12-02T10:00:00Z',
      scheduled_until: '2026-12-02T11:00:00Z',
    });
    const moved = await json<IncidentView>(
      await h.call('PATCH', `/api/admin/maintenance/${m.id}`, {
        body: { scheduled_for: '2026-12-03T10:00:00+01:00', scheduled_until: '2026-12-03T12:00:00+01:00' },
      }),
    );
    expect(moved.scheduled_for).toBe('2026-12-03T09:00:00.000Z');
    const bad = await h.call('PATCH', `/api/admin/maintenance/${m.id}`, {
      body: { scheduled_until: '2026-12-01T00:00:00Z' },
    });
    expect(bad.status).toBe(422);
    expect((await json<{ errors: unknown[] }>(bad)).errors).toEqual([
      { field: 'scheduled_until', message: 'must be later than scheduled_for' },
    ]);
  });

  it('does not answer a maintenance id on the incident routes of another kind', async () => {
    const incidents = await json<IncidentView[]>(await h.call('GET', '/api/admin/incidents?per_page=100'));
    expect(incidents.every((i) => i.kind === 'incident')).toBe(true);
    const m = await schedule({
      name: 'Kind check',
      components: [],
      scheduled_for: '2026-12-05T10:00:00Z',
      scheduled_until: '2026-12-05T11:00:00Z',
    });
    expect((await h.call('DELETE', `/api/admin/incidents/${m.id}`)).status).toBe(404);
  });
});
