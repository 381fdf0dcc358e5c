import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionItemView } from '../../../src/services/action-items.ts';
import type { IncidentView } from '../../../src/services/incident-view.ts';
import type { ReviewDue } from '../../../src/services/reviews.ts';
import { parseCsv } from '../../helpers/csv.ts';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';

// The harness clock starts on Monday 2026-11-23 at 10:00 UTC; the page's zone is UTC.
describe('the post-incident review through the admin API: review dates and action items', () => {
  let h: Harness;
  let incident: IncidentView;
  let other: IncidentView;

  async function open(name: string): Promise<IncidentView> {
    const res = await h.call('POST', '/api/admin/incidents', { body: { name, body: 'Down.', notify: false } });
    return json<IncidentView>(res);
  }
  const add = (incidentId: string, body: unknown, as: 'owner' | 'editor' | 'viewer' = 'editor') =>
    h.call('POST', `/api/admin/incidents/${incidentId}/action-items`, { as, body });

  beforeAll(async () => {
    h = await startHarness();
    incident = await open('Checkout errors');
    other = await open('Slow dashboard');
    await h.call('POST', `/api/admin/incidents/${incident.id}/resolve`, { body: { notify: false } });
  });
  afterAll(() => h.close());

  it('adds an item owned by a team member or by anyone named, open, and audited', async () => {
    const member = await add(incident.id, {
      description: 'Alert 30 days before a certificate expires',
      owner_id: h.userIds.editor,
      due_on: '2026-12-04',
      priority: 'high',
    });
    expect(member.status).toBe(201);
    expect(await json<ActionItemView>(member)).toMatchObject({
      description: 'Alert 30 days before a certificate expires',
      owner_id: h.userIds.editor,
      owner_label: 'editor',
      due_on: '2026-12-04',
      priority: 'high',
      state: 'open',
      done_at: null,
      overdue: false,
      incident: { id: incident.id, code: incident.code, name: 'Checkout errors' },
    });
    const team = await json<ActionItemView>(
      await add(incident.id, { description: 'Document the renewal', owner_label: 'Platform team' }),
    );
    expect(team).toMatchObject({ owner_id: null, owner_label: 'Platform team', priority: 'medium', due_on: null });
    // The audit filter drops LIKE's wildcards, `_` among them: "action" is the prefix to ask for.
    const audit = await json<Array<{ action: string; target_id: string }>>(
      await h.call('GET', '/api/admin/audit-log?action=action'),
    );
    expect(audit.map((a) => a.target_id)).toEqual(expect.arrayContaining([team.id]));
  });

  it('refuses an item without exactly one owner, with a date that does not exist, or from a viewer', async () => {
    const errors = async (res: Response) => [res.status, (await json<{ errors: unknown[] }>(res)).errors];
    expect(await errors(await add(incident.id, { description: 'x' }))).toEqual([
      422,
      [{ field: 'owner_label', message: 'name the owner: owner_id (a team member) or owner_label' }],
    ]);
    expect(
      await errors(await add(incident.id, { description: 'x', owner_id: h.userIds.owner, owner_label: 'Ops' })),
    ).toEqual([
      422,
      [{ field: 'owner_label', message: 'name the owner once: owner_id (a team member) or owner_label' }],
    ]);
    expect(
      await errors(await add(incident.id, { description: 'x', owner_label: 'Ops', due_on: '2026-02-30' })),
    ).toEqual([422, [{ field: 'due_on', message: 'must be a date written YYYY-MM-DD, e.g. 2026-12-04' }]]);
    expect(await errors(await add(incident.id, { description: 'x', owner_id: 'nobody' }))).toEqual([
      422,
      [{ field: 'owner_id', message: 'no team member nobody' }],
    ]);
    expect((await add(incident.id, { description: 'x', owner_label: 'Ops' }, 'viewer')).status).toBe(403);
    expect((await add('nosuchincident', { description: 'x', owner_label: 'Ops' })).status).toBe(404);
  });

  it('moves an item open → in progress → done, stamping done_at, and back to open', async () => {
    const item = await json<ActionItemView>(await add(other.id, { description: 'Add an index', owner_label: 'DBA' }));
    const move = async (state: string) =>
      json<ActionItemView>(await h.call('PATCH', `/api/admin/action-items/${item.id}`, { body: { state } }));
    expect((await move('in_progress')).done_at).toBeNull();
    h.clock.advance(60_000);
    expect(await move('done')).toMatchObject({ state: 'done', done_at: h.clock.now().toISOString() });
    expect(await move('open')).toMatchObject({ state: 'open', done_at: null });
    const renamed = await json<ActionItemView>(
      await h.call('PATCH', `/api/admin/action-items/${item.id}`, {
        body: { description: 'Add an index on orders', owner_id: h.userIds.owner, due_on: null, priority: 'low' },
      }),
    );
    expect(renamed).toMatchObject({ description: 'Add an index on orders', owner_label: 'owner', priority: 'low' });
    expect((await h.call('PATCH', `/api/admin/action-items/${item.id}`, { body: { state: 'closed' } })).status).toBe(
      422,
    );
    expect((await h.call('PATCH', '/api/admin/action-items/nosuchitem', { body: { state: 'done' } })).status).toBe(404);
    expect((await h.call('DELETE', `/api/admin/action-items/${item.id}`)).status).toBe(204);
    expect((await h.call('DELETE', `/api/admin/action-items/${item.id}`)).status).toBe(404);
  });

  it('lists items across incidents by page, filtered by state and by overdue', async () => {
    const late = await json<ActionItemView>(
      await add(other.id, { description: 'Late one', owner_label: 'SRE', due_on: '2026-11-20' }),
    );
    const doneLate = await json<ActionItemView>(
      await add(other.id, { description: 'Done late', owner_label: 'SRE', due_on: '2026-11-19' }),
    );
    await h.call('PATCH', `/api/admin/action-items/${doneLate.id}`, { body: { state: 'done' } });

    const all = await h.call('GET', '/api/admin/action-items?per_page=2', { as: 'viewer' });
    expect(all.status).toBe(200);
    expect(all.headers.get('x-total-count')).toBe('4');
    expect(all.headers.get('link')).toContain('rel="next"');
    // Soonest due first: the overdue ones lead.
    expect((await json<ActionItemView[]>(all)).map((i) => i.description)).toEqual(['Done late', 'Late one']);

    const overdue = await json<ActionItemView[]>(await h.call('GET', '/api/admin/action-items?overdue=true'));
    expect(overdue.map((i) => [i.id, i.overdue])).toEqual([[late.id, true]]);
    const done = await json<ActionItemView[]>(await h.call('GET', '/api/admin/action-items?state=done'));
    expect(done.map((i) => [i.id, i.overdue])).toEqual([[doneLate.id, false]]);
    const ofIncident = await json<ActionItemView[]>(
      await h.call('GET', `/api/admin/incidents/${incident.id}/action-items`, { as: 'viewer' }),
    );
    expect(ofIncident.map((i) => i.description)).toEqual([
      'Alert 30 days before a certificate expires',
      'Document the renewal',
    ]);
    expect((await h.call('GET', '/api/admin/action-items?state=later')).status).toBe(422);
  });

  it('exports RFC 4180 CSV with a header row, quoting what needs it and neutralising formulas', async () => {
    for (const description of [
      '=HYPERLINK("http://evil.example","x")',
      '+1',
      '-2',
      '@SUM(A1)',
      'Fix, "then" test\nagain',
    ])
      await add(other.id, { description, owner_label: '=cmd|x', due_on: '2026-12-01' });
    const res = await h.call('GET', '/api/admin/action-items.csv?incident_id=' + other.id, { as: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="action-items.csv"');
    const text = await res.text();
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([
      'id',
      'incident_code',
      'incident',
      'description',
      'owner',
      'priority',
      'state',
      'due_on',
      'overdue',
      'created_at',
      'done_at',
    ]);
    const descriptions = rows.slice(1).map((r) => r[3]);
    expect(descriptions).toEqual(
      expect.arrayContaining([
        `'=HYPERLINK("http://evil.example","x")`,
        "'+1",
        "'-2",
        "'@SUM(A1)",
        'Fix, "then" test\nagain',
      ]),
    );
    expect(rows.slice(1).every((r) => r.length === 11 && r[2] === 'Slow dashboard')).toBe(true);
    expect(rows.find((r) => r[3] === "'+1")?.slice(4, 9)).toEqual(["'=cmd|x", 'medium', 'open', '2026-12-01', 'no']);
    expect(rows.find((r) => r[3] === 'Late one')?.[8]).toBe('yes');
    const overdueOnly = parseCsv(await (await h.call('GET', '/api/admin/action-items.csv?overdue=true')).text());
    expect(overdueOnly.map((r) => r[3])).toEqual(['description', 'Late one']);
  });

  it('sets the review date, lists reviews due soonest first with overdue flagged, and drops a published one', async () => {
    const schedule = (id: string, due_on: string | null, as: 'editor' | 'viewer' = 'editor') =>
      h.call('PUT', `/api/admin/incidents/${id}/review`, { as, body: { due_on } });
    expect((await json<IncidentView>(await schedule(incident.id, '2026-12-01'))).review_due_on).toBe('2026-12-01');
    expect((await schedule(other.id, '2026-11-20')).status).toBe(200);
    expect((await schedule(other.id, '2026-11-31')).status).toBe(422);
    expect((await schedule(other.id, '30/11/2026')).status).toBe(422);
    expect((await schedule(other.id, '2026-11-21', 'viewer')).status).toBe(403);
    const due = await json<ReviewDue[]>(await h.call('GET', '/api/admin/reviews', { as: 'viewer' }));
    expect(due.map((r) => [r.name, r.review_due_on, r.overdue, r.unfinished_action_items])).toEqual([
      ['Slow dashboard', '2026-11-20', true, 6],
      ['Checkout errors', '2026-12-01', false, 2],
    ]);
    const audit = await json<Array<{ action: string; details: unknown }>>(
      await h.call('GET', '/api/admin/audit-log?action=review.schedule'),
    );
    expect(audit.map((a) => a.details)).toContainEqual({ from: null, to: '2026-11-20' });

    await h.call('PUT', `/api/admin/incidents/${incident.id}/postmortem`, { body: { body: '## Summary\nDone.' } });
    await h.call('POST', `/api/admin/incidents/${incident.id}/postmortem/publish`, { body: { notify: false } });
    expect((await json<ReviewDue[]>(await h.call('GET', '/api/admin/reviews'))).map((r) => r.name)).toEqual([
      'Slow dashboard',
    ]);
    expect((await schedule(other.id, null)).status).toBe(200);
    expect(await json<ReviewDue[]>(await h.call('GET', '/api/admin/reviews'))).toEqual([]);
  });

  it('describes every route in the OpenAPI document', async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
      await h.call('GET', '/api/admin/openapi.json'),
    );
    expect(Object.keys(doc.paths['/incidents/{id}/action-items'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/action-items/{itemId}'] ?? {}).sort()).toEqual(['delete', 'patch']);
    expect(doc.paths['/action-items']?.get).toBeDefined();
    expect(doc.paths['/action-items.csv']?.get).toBeDefined();
    expect(doc.paths['/incidents/{id}/review']?.put).toBeDefined();
    expect(doc.paths['/reviews']?.get).toBeDefined();
  });
});
