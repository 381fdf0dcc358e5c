import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';

// Through the harness (createApi, no Astro): the renderer is the app itself, in process.
describe('coalesced publishing through the API', () => {
  let h: Harness;
  let component = '';

  beforeAll(async () => {
    h = await startHarness();
    component = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'API' } })))
      .id;
  });
  afterAll(() => h.close());

  const summary = async () =>
    json<{ status: { indicator: string }; components: Array<{ id: string; status: string }> }>(
      await h.call('GET', '/api/v2/summary.json', { as: null }),
    );

  it('renders a burst of 50 writes a bounded number of times, and shows the last one', async () => {
    await summary();
    const before = h.runtime.siteCache.renders;
    const statuses = ['degraded_performance', 'partial_outage', 'major_outage', 'operational'] as const;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.call('PATCH', `/api/admin/components/${component}`, { body: { status: statuses[i % 4] } }),
      ),
    );
    const last = (await json<{ status: string }>(await h.call('GET', `/api/admin/components/${component}`))).status;
    const shown = await summary();
    expect(shown.components.find((c) => c.id === component)?.status).toBe(last);
    await h.runtime.siteCache.settled();
    const elapsed = performance.now() - started;
    // Each hot key (home, stylesheet, summary, status, badge, widget) at most once per 25 ms window.
    const renders = h.runtime.siteCache.renders - before;
    expect(renders).toBeLessThanOrEqual(6 * (Math.ceil(elapsed / 25) + 2));
    expect(renders).toBeLessThan(50 * 6);
    expect((await summary()).components.find((c) => c.id === component)?.status).toBe(last);
  });

  it('shows a write on the next read of a page being read', async () => {
    for (const status of ['major_outage', 'operational', 'partial_outage'] as const) {
      await h.call('PATCH', `/api/admin/components/${component}`, { body: { status } });
      expect((await summary()).components.find((c) => c.id === component)?.status).toBe(status);
    }
  });
});
