import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentView } from '../../../src/services/incident-view.ts';
import type { IncidentLogView } from '../../../src/services/incident-log.ts';
import type { PendingUpdateView } from '../../../src/services/update-approval.ts';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';

describe("the incident team's side through the admin API: notes, roles, approval, nothing new", () => {
  let h: Harness;
  let incident: IncidentView;

  beforeAll(async () => {
    h = await startHarness();
    incident = await json<IncidentView>(
      await h.call('POST', '/api/admin/incidents', {
        body: { name: 'Checkout errors', body: 'Down.', impact: 'critical', notify: false },
      }),
    );
  });
  afterAll(() => h.close());

  it('adds an internal note that the public documents never show', async () => {
    const res = await h.call('POST', `/api/admin/incidents/${incident.id}/notes`, {
      body: { body: 'Only for us: the DBA is on it.' },
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ stakeholders: 0 });
    const log = await json<IncidentLogView[]>(await h.call('GET', `/api/admin/incidents/${incident.id}/log`));
    expect(log.map((e) => [e.kind, e.body])).toEqual([['note', 'Only for us: the DBA is on it.']]);
    const unresolved = await (await h.call('GET', '/api/v2/incidents/unresolved.json', { as: null })).text();
    expect(unresolved).toContain('Checkout errors');
    expect(unresolved).not.toContain('DBA');
    expect((await h.call('POST', `/api/admin/incidents/${incident.id}/notes`, { body: { body: ' ' } })).status).toBe(
      422,
    );
    expect(
      (await h.call('POST', `/api/admin/incidents/${incident.id}/notes`, { as: 'viewer', body: { body: 'x' } })).status,
    ).toBe(403);
  });

  it('assigns and clears response roles by user id, refusing someone not on the team', async () => {
    const put = (body: unknown) => h.call('PUT', `/api/admin/incidents/${incident.id}/roles`, { body });
    expect((await put({ commander: h.userIds.editor, scribe: h.userIds.owner })).status).toBe(200);
    expect(
      (
        await json<Array<{ role: string; user_id: string }>>(
          await h.call('GET', `/api/admin/incidents/${incident.id}/roles`),
        )
      ).map((r) => [r.role, r.user_id]),
    ).toEqual([
      ['commander', h.userIds.editor],
      ['scribe', h.userIds.owner],
    ]);
    expect((await put({ scribe: null })).status).toBe(200);
    expect((await put({ commander: 'nobody' })).status).toBe(422);
    expect((await put({ captain: h.userIds.editor })).status).toBe(422);
  });

  it('answers 202 with the waiting update where approval is asked for, and posts it once approved', async () => {
    await h.call('PATCH', '/api/admin/settings', { as: 'owner', body: { approval_impacts: ['critical'] } });
    const res = await h.call('POST', `/api/admin/incidents/${incident.id}/updates`, {
      as: 'editor',
      body: { status: 'identified', body: 'Found a bad index.', notify: false },
    });
    expect(res.status).toBe(202);
    const pending = await json<PendingUpdateView>(res);
    expect(pending).toMatchObject({ state: 'waiting', input: { status: 'identified', body: 'Found a bad index.' } });
    const own = await h.call('POST', `/api/admin/incidents/${incident.id}/pending-updates/${pending.id}/approve`, {
      as: 'editor',
    });
    expect(own.status).toBe(403);
    const approved = await h.call('POST', `/api/admin/incidents/${incident.id}/pending-updates/${pending.id}/approve`, {
      as: 'owner',
    });
    expect(approved.status).toBe(200);
    expect((await json<IncidentView>(approved)).incident_updates[0]).toMatchObject({ body: 'Found a bad index.' });
    const again = await h.call('POST', `/api/admin/incidents/${incident.id}/pending-updates/${pending.id}/approve`, {
      as: 'owner',
    });
    expect(again.status).toBe(409);
    await h.call('PATCH', '/api/admin/settings', { as: 'owner', body: { approval_impacts: [] } });
  });

  it('restarts the update clock on "nothing new", and refuses it once resolved', async () => {
    const res = await h.call('POST', `/api/admin/incidents/${incident.id}/update-due/acknowledge`);
    expect(res.status).toBe(204);
    const view = await json<IncidentView>(await h.call('GET', `/api/admin/incidents/${incident.id}`));
    expect(view.update_acknowledged_at).not.toBeNull();
    await h.call('POST', `/api/admin/incidents/${incident.id}/resolve`, { body: { notify: false } });
    expect((await h.call('POST', `/api/admin/incidents/${incident.id}/update-due/acknowledge`)).status).toBe(409);
  });
});
