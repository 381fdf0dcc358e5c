import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../db/migrations/index.ts';
import type { IncidentView } from '../../../src/services/incident-view.ts';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';

describe('stopping and starting on the same database file', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('loses nothing: components, incidents, updates, settings, tokens and the audit log survive', async () => {
    const component = await json<{ id: string }>(
      await h.call('POST', '/api/admin/components', { body: { name: 'API' } }),
    );
    const incident = await json<IncidentView>(
      await h.call('POST', '/api/admin/incidents', {
        body: { name: 'Errors', body: 'Looking.', components: { [component.id]: 'partial_outage' }, notify: false },
      }),
    );
    await h.call('POST', `/api/admin/incidents/${incident.id}/updates`, {
      body: { status: 'identified', body: 'Found it.', notify: false },
    });
    await h.call('PATCH', '/api/admin/settings', { body: { page_name: 'Acme Status', time_zone: 'Europe/Paris' } });
    const auditBefore = await json<unknown[]>(await h.call('GET', '/api/admin/audit-log?per_page=100'));

    await h.restart();

    const after = await json<IncidentView>(await h.call('GET', `/api/admin/incidents/${incident.id}`));
    expect(after.status).toBe('identified');
    expect(after.incident_updates.map((u) => u.body)).toEqual(['Found it.', 'Looking.']);
    expect(after.components).toEqual([{ id: component.id, name: 'API', status: 'partial_outage' }]);
    expect(await json(await h.call('GET', '/api/admin/settings'))).toMatchObject({
      page_name: 'Acme Status',
      time_zone: 'Europe/Paris',
    });
    expect(await json<unknown[]>(await h.call('GET', '/api/admin/audit-log?per_page=100'))).toEqual(auditBefore);
  });

  it('runs the migrations once: a restart applies none again', async () => {
    // Kysely's own bookkeeping table is not in the schema types, hence plain SQL.
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(h.runtime.db);
    expect(rows.map((r) => r.name)).toEqual(Object.keys(migrations));
    const templates = await h.runtime.db.selectFrom('templates').select('id').execute();
    expect(templates).toHaveLength(7);
  });
});
