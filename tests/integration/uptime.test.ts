import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentUptime } from '../../src/services/uptime.ts';
import { type Harness, json, startHarness } from '../helpers/harness.ts';

describe('90-day uptime of a component from its recorded history', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('computes each day from the status changes made through the API, with the incidents of the day', async () => {
    h.clock.set('2026-11-01T00:00:00Z');
    const component = await json<{ id: string; created_at: string }>(
      await h.call('POST', '/api/admin/components', { body: { name: 'API' } }),
    );
    h.clock.set('2026-11-20T08:00:00Z');
    const incident = await json<{ id: string; code: string }>(
      await h.call('POST', '/api/admin/incidents', {
        body: { name: 'API down', body: 'Down.', components: { [component.id]: 'major_outage' }, notify: false },
      }),
    );
    h.clock.set('2026-11-20T11:00:00Z');
    await h.call('POST', `/api/admin/incidents/${incident.id}/resolve`, { body: { notify: false } });
    h.clock.set('2026-11-23T12:00:00Z');

    const uptime = (await componentUptime(h.runtime.ctx, [component], 90)).get(component.id);
    expect(uptime?.days).toHaveLength(90);
    expect(uptime?.days.at(-1)?.day).toBe('2026-11-23');
    const days = new Map(uptime?.days.map((d) => [d.day, d]));
    expect(days.get('2026-10-31')?.noData).toBe(true);
    expect(days.get('2026-11-01')?.uptime).toBe(100);
    expect(days.get('2026-11-20')).toMatchObject({
      worst: 'major_outage',
      incidents: [{ name: 'API down', code: incident.code, impact: 'critical' }],
    });
    expect(days.get('2026-11-20')?.uptime).toBeCloseTo((21 / 24) * 100, 6);
    expect(days.get('2026-11-21')?.incidents).toEqual([]);
    const knownHours = 22 * 24 + 12;
    expect(uptime?.uptime).toBeCloseTo(100 * (1 - 3 / knownHours), 6);
  });
});
