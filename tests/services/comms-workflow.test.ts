import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Actor, CLI } from '../../src/services/actor.ts';
import { createComponent } from '../../src/services/components.ts';
import { Conflict, Forbidden } from '../../src/services/errors.ts';
import { incidentLogOf } from '../../src/services/incident-log.ts';
import { assignRoles, rolesOfIncident } from '../../src/services/incident-roles.ts';
import {
  acknowledgeUpdateDue,
  correctUpdate,
  createIncident,
  getIncident,
  postUpdate,
  renameIncident,
} from '../../src/services/incidents.ts';
import { addInternalNote } from '../../src/services/internal-notes.ts';
import { updateSettings } from '../../src/services/settings.ts';
import {
  approveUpdate,
  declineUpdate,
  pendingUpdatesOf,
  submitUpdate,
  updatesAwaitingApproval,
} from '../../src/services/update-approval.ts';
import { createUser } from '../../src/services/users.ts';
import { updateClock, DEFAULT_CADENCE } from '../../src/domain/cadence.ts';
import { openServiceContext, type ServiceFixture } from '../helpers/service-context.ts';

describe("the communications lead's workflow in the services", () => {
  let f: ServiceFixture;
  let lead: Actor;
  let second: Actor;
  let viewer: Actor;
  let apiId = '';

  const member = async (email: string, role: 'editor' | 'viewer' | 'owner'): Promise<Actor> => {
    const user = await createUser(f.ctx, CLI, {
      email,
      role,
      password: 'a long password 1',
      name: email.split('@')[0],
    });
    return { kind: 'user', userId: user.id, role, label: email, via: 'session' };
  };
  const notificationCount = async () =>
    Number(
      (
        await f.ctx.db
          .selectFrom('notifications')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeEach(async () => {
    f = await openServiceContext();
    lead = await member('lead@example.com', 'editor');
    second = await member('second@example.com', 'owner');
    viewer = await member('viewer@example.com', 'viewer');
    apiId = (await createComponent(f.ctx, CLI, { name: 'API' })).id;
  });
  afterEach(async () => {
    await f.close();
  });

  const openCritical = () =>
    createIncident(f.ctx, lead, {
      name: 'API down',
      status: 'investigating',
      body: 'Investigating.',
      components: { [apiId]: 'major_outage' },
      impact: 'critical',
      notify: true,
    });

  it('holds a public update at a gated impact until another member approves it; its author cannot', async () => {
    await updateSettings(f.ctx, CLI, { approval_impacts: 'critical' });
    const incident = await openCritical();
    const published = f.published.length;
    const notified = await notificationCount();
    const submitted = await submitUpdate(f.ctx, lead, incident.id, {
      status: 'identified',
      body: 'Found it.',
      notify: true,
    });
    expect(submitted.outcome).toBe('pending');
    if (submitted.outcome !== 'pending') return;
    // Nothing public changed and nobody is told while it waits.
    expect((await getIncident(f.ctx, lead, incident.id)).incident_updates).toHaveLength(1);
    expect(f.published.length).toBe(published);
    expect(await notificationCount()).toBe(notified);
    expect((await updatesAwaitingApproval(f.ctx, viewer)).map((p) => p.incident_name)).toEqual(['API down']);

    await expect(approveUpdate(f.ctx, lead, incident.id, submitted.pending_update.id)).rejects.toThrow(Forbidden);
    await expect(approveUpdate(f.ctx, viewer, incident.id, submitted.pending_update.id)).rejects.toThrow(Forbidden);
    const approved = await approveUpdate(f.ctx, second, incident.id, submitted.pending_update.id);
    expect(approved.status).toBe('identified');
    expect(approved.incident_updates[0]).toMatchObject({ body: 'Found it.', author: 'lead@example.com' });
    expect(await notificationCount()).toBe(notified + 1);
    // Settled once: a second approval is refused, not posted twice.
    await expect(approveUpdate(f.ctx, second, incident.id, submitted.pending_update.id)).rejects.toThrow(Conflict);
    const log = (await incidentLogOf(f.ctx, viewer, incident.id)).map((e) => e.kind);
    expect(log).toEqual(['approval_requested', 'approved']);
    const audit = await f.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_label', 'details'])
      .where('action', '=', 'incident.update')
      .execute();
    expect(audit.at(-1)).toMatchObject({ actor_label: 'second@example.com' });
    expect(JSON.parse(audit.at(-1)?.details ?? '{}')).toMatchObject({ approved_by: 'second@example.com' });
  });

  it('keeps an incident that was ever at a gated impact under approval, however its impact is lowered', async () => {
    await updateSettings(f.ctx, CLI, { approval_impacts: 'critical' });
    const incident = await openCritical();
    // Lowered with the update itself: still held.
    const lowered = await submitUpdate(f.ctx, lead, incident.id, {
      status: 'identified',
      body: 'Lower.',
      notify: true,
      impact: 'minor',
    });
    expect(lowered.outcome).toBe('pending');
    // Lowered first through "change the impact": still held.
    await renameIncident(f.ctx, lead, incident.id, { impact: 'minor' });
    const after = await submitUpdate(f.ctx, lead, incident.id, { status: 'identified', body: 'Now.', notify: true });
    expect(after.outcome).toBe('pending');
    // Nor may the author rewrite approved words alone afterwards; another member may correct them.
    if (after.outcome !== 'pending') return;
    const approved = await approveUpdate(f.ctx, second, incident.id, after.pending_update.id);
    const updateId = approved.incident_updates[0]?.id ?? '';
    await expect(correctUpdate(f.ctx, lead, incident.id, updateId, 'Something else.')).rejects.toThrow(Forbidden);
    expect((await correctUpdate(f.ctx, second, incident.id, updateId, 'Now, corrected.')).body).toBe('Now, corrected.');
  });

  it('lets the author withdraw and another member send back a waiting update, publishing nothing', async () => {
    await updateSettings(f.ctx, CLI, { approval_impacts: 'critical,major' });
    const incident = await openCritical();
    const first = await submitUpdate(f.ctx, lead, incident.id, { status: 'identified', body: 'One.', notify: true });
    const other = await submitUpdate(f.ctx, lead, incident.id, { status: 'identified', body: 'Two.', notify: true });
    if (first.outcome !== 'pending' || other.outcome !== 'pending') throw new Error('expected both to wait');
    expect((await declineUpdate(f.ctx, lead, incident.id, first.pending_update.id, '')).state).toBe('withdrawn');
    expect((await declineUpdate(f.ctx, second, incident.id, other.pending_update.id, 'Too technical')).state).toBe(
      'rejected',
    );
    expect((await pendingUpdatesOf(f.ctx, viewer, incident.id)).map((p) => p.state).sort()).toEqual([
      'rejected',
      'withdrawn',
    ]);
    expect((await getIncident(f.ctx, lead, incident.id)).incident_updates).toHaveLength(1);
  });

  it('posts at once where no approval is asked for: an incident never at a gated impact', async () => {
    await updateSettings(f.ctx, CLI, { approval_impacts: 'critical' });
    const minor = await createIncident(f.ctx, lead, {
      name: 'Slow search',
      status: 'investigating',
      body: 'Looking.',
      components: {},
      impact: 'minor',
      notify: false,
    });
    const posted = await submitUpdate(f.ctx, lead, minor.id, { status: 'monitoring', body: 'Better.', notify: false });
    expect(posted.outcome).toBe('posted');
  });

  it('keeps an internal note out of the public timeline, the page cache and the notifications', async () => {
    const incident = await openCritical();
    const published = f.published.length;
    const notified = await notificationCount();
    const note = await addInternalNote(f.ctx, lead, incident.id, 'The failover is at 40%.');
    expect(note.stakeholders).toBe(0);
    expect((await getIncident(f.ctx, lead, incident.id)).incident_updates).toHaveLength(1);
    expect(f.published.length).toBe(published);
    expect(await notificationCount()).toBe(notified);
    expect(await incidentLogOf(f.ctx, viewer, incident.id)).toEqual([
      expect.objectContaining({ kind: 'note', body: 'The failover is at 40%.', actor_label: 'lead@example.com' }),
    ]);
    await expect(addInternalNote(f.ctx, viewer, incident.id, 'No.')).rejects.toThrow(Forbidden);
  });

  it('records title and impact changes and role assignments in the team log', async () => {
    const incident = await openCritical();
    await renameIncident(f.ctx, lead, incident.id, { name: 'API slow', impact: 'minor' });
    await assignRoles(f.ctx, lead, incident.id, { commander: second.kind === 'user' ? second.userId : null });
    await assignRoles(f.ctx, lead, incident.id, { commander: second.kind === 'user' ? second.userId : null });
    expect((await rolesOfIncident(f.ctx, viewer, incident.id)).map((r) => [r.role, r.email])).toEqual([
      ['commander', 'second@example.com'],
    ]);
    const log = await incidentLogOf(f.ctx, viewer, incident.id);
    expect(log.map((e) => e.body)).toEqual([
      'Title changed from “API down” to “API slow”',
      'Impact changed from critical to minor',
      'second is incident commander',
    ]);
    await assignRoles(f.ctx, lead, incident.id, { commander: null });
    expect(await rolesOfIncident(f.ctx, viewer, incident.id)).toEqual([]);
  });

  it('restarts the update clock when the lead says there is nothing new, and only while the incident is open', async () => {
    const incident = await openCritical();
    f.clock.advance(31 * 60_000);
    expect(updateClock(await getIncident(f.ctx, lead, incident.id), DEFAULT_CADENCE, f.clock.now()).due).toBe(true);
    await acknowledgeUpdateDue(f.ctx, lead, incident.id);
    const after = updateClock(await getIncident(f.ctx, lead, incident.id), DEFAULT_CADENCE, f.clock.now());
    expect(after).toMatchObject({ due: false, acknowledged: true, minutesSince: 0 });
    await postUpdate(f.ctx, lead, incident.id, { status: 'resolved', body: 'Done.', notify: false });
    await expect(acknowledgeUpdateDue(f.ctx, lead, incident.id)).rejects.toThrow(Conflict);
  });

  it('schedules the review five business days after resolving, or on the day the lead chose', async () => {
    // Monday 23 November 2026: five business days later is Monday 30 November.
    const incident = await openCritical();
    const resolved = await postUpdate(f.ctx, lead, incident.id, { status: 'resolved', body: 'Done.', notify: false });
    expect(resolved.review_due_on).toBe('2026-11-30');
    const other = await openCritical();
    const chosen = await postUpdate(f.ctx, lead, other.id, {
      status: 'resolved',
      body: 'Done.',
      notify: false,
      review_on: '2026-12-02',
    });
    expect(chosen.review_due_on).toBe('2026-12-02');
  });
});
