import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startRuntime } from '../../src/runtime.ts';
import { CLI } from '../../src/services/actor.ts';
import { createComponent } from '../../src/services/components.ts';
import { getIncident } from '../../src/services/incidents.ts';
import { scheduleMaintenance } from '../../src/services/maintenance.ts';
import { TestClock } from '../helpers/harness.ts';

describe('the scheduler inside the server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-scheduler-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a due maintenance window on its own, without any request', async () => {
    const clock = new TestClock('2026-11-23T09:00:00Z');
    const runtime = await startRuntime(
      loadConfig({ DATABASE_PATH: join(dir, 'h.db'), HERALD_SCHEDULER_INTERVAL_MS: '100' }),
      { now: clock.now },
    );
    try {
      const component = await createComponent(runtime.ctx, CLI, { name: 'DB' });
      const m = await scheduleMaintenance(runtime.ctx, CLI, {
        name: 'Upgrade',
        body: 'Soon.',
        components: [component.id],
        notify: false,
        auto_start: true,
        auto_complete: true,
        scheduled_for: '2026-11-23T10:00:00Z',
        scheduled_until: '2026-11-23T11:00:00Z',
        remind_minutes_before: null,
      });
      clock.set('2026-11-23T10:00:00Z');
      let status = m.status;
      for (let i = 0; i < 50 && status === 'scheduled'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await getIncident(runtime.ctx, CLI, m.id)).status;
      }
      expect(status).toBe('in_progress');
    } finally {
      await runtime.stop();
    }
  });
});
