import * as team from '../db/incident-team-repo.ts';
import type { Incident, PendingUpdate } from '../db/schema.ts';
import type { Impact } from '../domain/incident.ts';
import { impactList } from '../domain/severity.ts';
import { newId } from '../lib/ids.ts';
import { type Actor, actorId } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, type Trx, write } from './context.ts';
import { Conflict, Forbidden, NotFound } from './errors.ts';
import { recordIncidentLog } from './incident-log.ts';
import type { IncidentView } from './incident-view.ts';
import { incidentTags, type NewUpdate, postUpdateIn, requireIncident, viewOf } from './incidents.ts';
import { readSettings } from './settings.ts';

export type PendingUpdateView = Omit<PendingUpdate, 'input'> & { input: NewUpdate };

/** What posting an update led to: out at once, or held for a second person. */
export type SubmittedUpdate =
  | { outcome: 'posted'; incident: IncidentView; update_id: string }
  | { outcome: 'pending'; pending_update: PendingUpdateView };

function pendingView(row: PendingUpdate): PendingUpdateView {
  return { ...row, input: JSON.parse(row.input) as NewUpdate };
}

/**
 * Whether public words on this incident need a second member: the approval is the incident's
 * once it has been at a gated impact, so lowering the impact (with the update itself, or first
 * through "change the impact") never lets an author past it.
 */
export async function incidentNeedsApproval(trx: Trx, incident: Incident, newImpact?: Impact): Promise<boolean> {
  if (incident.kind !== 'incident') return false;
  const gated = impactList((await readSettings(trx)).approval_impacts);
  if (gated.length === 0) return false;
  const impacts = new Set<string>([incident.impact, ...(newImpact ? [newImpact] : [])]);
  for (const entry of await team.logOf(trx, incident.id)) {
    if (entry.kind !== 'impact') continue;
    const details = JSON.parse(entry.details) as { from?: string; to?: string };
    if (details.from) impacts.add(details.from);
    if (details.to) impacts.add(details.to);
  }
  return gated.some((impact) => impacts.has(impact));
}

function needsApproval(trx: Trx, incident: Incident, input: NewUpdate): Promise<boolean> {
  return incidentNeedsApproval(trx, incident, input.impact);
}

/**
 * The console's and the API's way to post an update: where the page's settings ask for approval
 * at the incident's impact, the update waits (nothing public, nobody notified) until another
 * member approves it.
 */
export async function submitUpdate(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  input: NewUpdate,
): Promise<SubmittedUpdate> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx, touch) => {
    const incident = await requireIncident(trx, incidentId);
    const at = iso(ctx.now());
    if (actor.kind === 'user' && (await needsApproval(trx, incident, input))) {
      const id = newId();
      await team.insertPendingUpdate(trx, {
        id,
        incident_id: incident.id,
        input: JSON.stringify(input),
        requested_by: actorId(actor),
        requested_label: actor.label,
        requested_at: at,
      });
      await recordIncidentLog(trx, actor, at, {
        incidentId: incident.id,
        kind: 'approval_requested',
        body: input.body,
        details: { pending_update_id: id, status: input.status },
      });
      await recordAudit(trx, actor, at, {
        action: 'incident.update.request_approval',
        targetType: 'incident',
        targetId: incident.id,
        details: { pending_update_id: id, status: input.status },
      });
      const row = await team.findPendingUpdate(trx, incident.id, id);
      if (!row) throw new NotFound(`Update ${id} does not exist`);
      return { outcome: 'pending', pending_update: pendingView(row) };
    }
    const updateId = await postUpdateIn(trx, actor, incident, input, at);
    touch(...incidentTags(incident));
    return {
      outcome: 'posted',
      incident: await viewOf(trx, await requireIncident(trx, incident.id)),
      update_id: updateId,
    };
  });
}

async function requireWaiting(trx: Trx, incidentId: string, pendingId: string): Promise<PendingUpdate> {
  const row = await team.findPendingUpdate(trx, incidentId, pendingId);
  if (!row) throw new NotFound(`Update ${pendingId} awaiting approval does not exist`);
  if (row.state !== 'waiting') throw new Conflict(`That update was already ${row.state}`);
  return row;
}

/** A second member approves: the update is posted as its author wrote it, and notifies as asked. */
export async function approveUpdate(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  pendingId: string,
): Promise<IncidentView> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx, touch) => {
    const incident = await requireIncident(trx, incidentId);
    const row = await requireWaiting(trx, incidentId, pendingId);
    if (actor.kind === 'user' && row.requested_by === actor.userId)
      throw new Forbidden('An update you wrote needs another member to approve it');
    const at = iso(ctx.now());
    const author: Actor = row.requested_by
      ? { kind: 'user', userId: row.requested_by, role: 'editor', label: row.requested_label, via: 'session' }
      : { kind: 'system', label: row.requested_label };
    const updateId = await postUpdateIn(trx, author, incident, pendingView(row).input, at, actor);
    if (
      !(await team.settlePendingUpdate(trx, pendingId, {
        state: 'approved',
        decided_by: actorId(actor),
        decided_label: actor.label,
        decided_at: at,
        reason: null,
        update_id: updateId,
      }))
    )
      throw new Conflict('That update was settled by someone else a moment ago');
    await recordIncidentLog(trx, actor, at, {
      incidentId,
      kind: 'approved',
      body: `Approved the update by ${row.requested_label}`,
      details: { pending_update_id: pendingId, update_id: updateId },
    });
    touch(...incidentTags(incident));
    return viewOf(trx, await requireIncident(trx, incidentId));
  });
}

/** Sent back with a reason (another member), or withdrawn by its author; nothing is published. */
export async function declineUpdate(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  pendingId: string,
  reason: string,
): Promise<PendingUpdateView> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx) => {
    await requireIncident(trx, incidentId);
    const row = await requireWaiting(trx, incidentId, pendingId);
    const own = actor.kind === 'user' && row.requested_by === actor.userId;
    const state = own ? 'withdrawn' : 'rejected';
    const at = iso(ctx.now());
    await team.settlePendingUpdate(trx, pendingId, {
      state,
      decided_by: actorId(actor),
      decided_label: actor.label,
      decided_at: at,
      reason: reason.trim() || null,
      update_id: null,
    });
    await recordIncidentLog(trx, actor, at, {
      incidentId,
      kind: state,
      body: own
        ? 'Withdrew an update awaiting approval'
        : `Sent back the update by ${row.requested_label}${reason.trim() ? `: ${reason.trim()}` : ''}`,
      details: { pending_update_id: pendingId },
    });
    await recordAudit(trx, actor, at, {
      action: `incident.update.${state === 'withdrawn' ? 'withdraw' : 'reject'}`,
      targetType: 'incident',
      targetId: incidentId,
      details: { pending_update_id: pendingId, reason: reason.trim() || null },
    });
    const settled = await team.findPendingUpdate(trx, incidentId, pendingId);
    if (!settled) throw new NotFound(`Update ${pendingId} does not exist`);
    return pendingView(settled);
  });
}

export async function pendingUpdatesOf(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
): Promise<PendingUpdateView[]> {
  authorize(actor, 'read');
  return (await team.pendingUpdatesOf(ctx.db, incidentId)).map(pendingView);
}

/** Across incidents, for the dashboard: what is waiting for someone's approval. */
export async function updatesAwaitingApproval(
  ctx: ServiceContext,
  actor: Actor,
): Promise<Array<PendingUpdateView & { incident_name: string }>> {
  authorize(actor, 'read');
  return (await team.waitingUpdates(ctx.db, 50)).map((row) => ({
    ...pendingView(row),
    incident_name: row.incident_name,
  }));
}
