import { findComponents } from '../db/components-repo.ts';
import * as repo from '../db/incidents-repo.ts';
import type { Incident } from '../db/schema.ts';
import { componentsToRelease } from '../domain/component-release.ts';
import type { AnyIncidentStatus, Impact, IncidentKind } from '../domain/incident.ts';
import { isActive, isClosedStatus } from '../domain/incident.ts';
import { impactOfStatuses } from '../domain/indicator.ts';
import { notifyEventOf } from '../domain/notify-event.ts';
import { checkTransition } from '../domain/transitions.ts';
import { enqueueComponentNotices, enqueueNotification } from '../db/notifications-repo.ts';
import { endIncidentSubscriptions } from '../db/subscriptions-repo.ts';
import { newCode, newId } from '../lib/ids.ts';
import { type Actor, actorId } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { setComponentStatus } from './component-status.ts';
import { iso, type ServiceContext, type Trx, write } from './context.ts';
import { Conflict, Forbidden, Invalid, NotFound } from './errors.ts';
import { type IncidentView, incidentViews, type UpdateView } from './incident-view.ts';
import { type Page, type PageRequest, pageOf } from './paging.ts';
import type { z } from 'zod';
import type * as schemas from './schemas.ts';
import { incidentRow } from './incident-row.ts';
import { recordIncidentLog } from './incident-log.ts';
import { incidentNeedsApproval } from './update-approval.ts';
import { readSettings } from './settings.ts';
import { defaultReviewDate } from '../domain/business-days.ts';
import * as writes from '../db/incident-writes-repo.ts';
import { queueStakeholderMessages } from './stakeholder-messages.ts';

export type ComponentStatusMap = z.output<typeof schemas.componentStatusMap>;
export type NewIncident = z.output<typeof schemas.incidentCreate>;
export type NewUpdate = z.output<typeof schemas.updateCreate>;

export function incidentTags(incident: Pick<Incident, 'code'>): string[] {
  return ['status', 'history', 'feeds', `incident:${incident.code}`];
}

async function requireComponents(trx: Trx, ids: readonly string[]): Promise<void> {
  const found = new Set((await findComponents(trx, ids)).map((c) => c.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new Invalid(
      'Unknown component in the incident',
      missing.map((id) => ({ field: `components.${id}`, message: `no component ${id}` })),
    );
  }
}

export async function requireIncident(trx: Trx, id: string, kind?: IncidentKind): Promise<Incident> {
  const incident = await repo.findIncident(trx, id);
  if (!incident || (kind && incident.kind !== kind))
    throw new NotFound(`${kind === 'maintenance' ? 'Maintenance' : 'Incident'} ${id} does not exist`);
  return incident;
}

export async function viewOf(trx: Trx | ServiceContext['db'], incident: Incident): Promise<IncidentView> {
  const [view] = await incidentViews(trx, [incident]);
  if (!view) throw new NotFound(`Incident ${incident.id} does not exist`);
  return view;
}

/**
 * Writes one update and applies its component statuses, then, if it closes the event, returns
 * the components no other open event holds to operational. Shared by incidents and maintenance.
 */
export async function appendUpdate(
  trx: Trx,
  actor: Actor,
  incident: Incident,
  update: { status: AnyIncidentStatus; body: string; notify: boolean; components?: ComponentStatusMap },
  at: string,
): Promise<string> {
  const transition = checkTransition(incident.kind, incident.status, update.status);
  if (!transition.ok) throw new Conflict(`Cannot post a ${update.status} update: ${transition.reason}`);
  const first = !(await writes.hasUpdates(trx, incident.id));
  const updateId = newId();
  await writes.insertUpdate(trx, {
    id: updateId,
    incident_id: incident.id,
    status: update.status,
    body: update.body,
    author_id: actorId(actor),
    author_label: actor.label,
    notify: update.notify ? 1 : 0,
    created_at: at,
    edited_at: null,
  });
  const cause = { incidentId: incident.id, updateId };
  const explicit = update.components ?? {};
  const explicitIds = Object.keys(explicit);
  await requireComponents(trx, explicitIds);
  await repo.attachComponents(trx, incident.id, explicitIds);
  for (const [componentId, status] of Object.entries(explicit)) {
    await setComponentStatus(trx, componentId, status, actor, at, cause);
  }
  const closing = isClosedStatus(update.status) && !isClosedStatus(incident.status);
  await writes.updateIncidentRow(trx, incident.id, {
    status: update.status,
    updated_at: at,
    ...(closing ? { resolved_at: at } : {}),
  });
  if (closing) await releaseComponents(trx, actor, incident.id, explicitIds, at, cause);
  if (update.notify) {
    await enqueueNotification(trx, {
      incidentId: incident.id,
      updateId,
      event: notifyEventOf(incident.kind, incident.status, update.status, first),
      at,
    });
    await enqueueComponentNotices(trx, { incidentId: incident.id, updateId, at });
  }
  // The team's stakeholders hear every public step of an incident (internal notes are queued by theirs).
  if (incident.kind === 'incident')
    await queueStakeholderMessages(trx, {
      incident: { ...incident, status: update.status },
      event: first ? 'opened' : closing ? 'resolved' : 'update',
      status: update.status,
      body: update.body,
      authorLabel: actor.label,
      internal: false,
      at,
    });
  // Followers of this incident alone hear its end; a postmortem in the works keeps them until it is out.
  if (closing && !(incident.postmortem_body && !incident.postmortem_published_at))
    await endIncidentSubscriptions(trx, incident.id, at);
  return updateId;
}

/** Components of a closing event go back to operational unless another open event holds them. */
export async function releaseComponents(
  trx: Trx,
  actor: Actor,
  incidentId: string,
  leaveAlone: readonly string[],
  at: string,
  cause: { incidentId: string | null; updateId: string | null },
): Promise<void> {
  const affected = (await repo.componentIdsOf(trx, [incidentId])).get(incidentId) ?? [];
  const release = componentsToRelease({
    closingIncidentId: incidentId,
    affectedComponentIds: affected.filter((id) => !leaveAlone.includes(id)),
    openHolds: await repo.openHolds(trx),
  });
  for (const componentId of release) await setComponentStatus(trx, componentId, 'operational', actor, at, cause);
}

export async function listIncidents(
  ctx: ServiceContext,
  actor: Actor,
  filter: repo.IncidentFilter,
  page: PageRequest,
): Promise<Page<IncidentView>> {
  authorize(actor, 'read');
  const [rows, total] = await Promise.all([
    repo.listIncidents(ctx.db, filter, page.perPage, page.offset),
    repo.countIncidents(ctx.db, filter),
  ]);
  return pageOf(await incidentViews(ctx.db, rows), total, page);
}

export async function getIncident(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  kind?: IncidentKind,
): Promise<IncidentView> {
  authorize(actor, 'read');
  const incident = await repo.findIncident(ctx.db, id);
  if (!incident || (kind && incident.kind !== kind))
    throw new NotFound(`${kind === 'maintenance' ? 'Maintenance' : 'Incident'} ${id} does not exist`);
  return viewOf(ctx.db, incident);
}

export async function createIncident(ctx: ServiceContext, actor: Actor, input: NewIncident): Promise<IncidentView> {
  authorize(actor, 'manage_incidents');
  const now = ctx.now();
  if (input.started_at && Date.parse(input.started_at) > now.getTime()) {
    throw new Invalid('An incident cannot start in the future', [
      { field: 'started_at', message: 'must not be in the future' },
    ]);
  }
  return write(ctx, async (trx, touch) => {
    const at = iso(now);
    // Hidden components are internal: their state must not raise the public impact.
    const hidden = new Set(
      (await findComponents(trx, Object.keys(input.components))).filter((c) => c.hidden === 1).map((c) => c.id),
    );
    const publicStatuses = Object.fromEntries(Object.entries(input.components).filter(([id]) => !hidden.has(id)));
    const incident = incidentRow({
      id: newId(),
      code: newCode(),
      kind: 'incident',
      name: input.name,
      impact: input.impact ?? impactOfStatuses(Object.values(publicStatuses)),
      status: input.status,
      started_at: input.started_at ? new Date(input.started_at).toISOString() : at,
      created_by: actorId(actor),
      created_at: at,
      updated_at: at,
    });
    // Inserted as investigating so the first update is checked like every later one.
    await writes.insertIncident(trx, { ...incident, status: 'investigating' });
    await appendUpdate(trx, actor, { ...incident, status: 'investigating' }, input, at);
    await recordAudit(trx, actor, at, {
      action: 'incident.create',
      targetType: 'incident',
      targetId: incident.id,
      details: {
        name: incident.name,
        status: input.status,
        impact: incident.impact,
        components: input.components,
        notify: input.notify,
      },
    });
    touch(...incidentTags(incident));
    return viewOf(trx, await requireIncident(trx, incident.id));
  });
}

export async function postUpdate(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  input: NewUpdate,
): Promise<IncidentView> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx, touch) => {
    const incident = await requireIncident(trx, incidentId);
    await postUpdateIn(trx, actor, incident, input, iso(ctx.now()));
    touch(...incidentTags(incident));
    return viewOf(trx, await requireIncident(trx, incident.id));
  });
}

/**
 * Posts an update inside the caller's transaction: impact, update, components, notification and
 * audit. `author` is who wrote it; an approved update is written by its author, audited by both.
 */
export async function postUpdateIn(
  trx: Trx,
  author: Actor,
  incident: Incident,
  input: NewUpdate,
  at: string,
  approvedBy?: Actor,
): Promise<string> {
  if (input.impact && input.impact !== incident.impact) {
    await writes.updateIncidentRow(trx, incident.id, { impact: input.impact });
  }
  const updateId = await appendUpdate(trx, author, { ...incident, impact: input.impact ?? incident.impact }, input, at);
  // Resolving an incident schedules its review, so the learning is not left to memory.
  if (incident.kind === 'incident' && input.status === 'resolved' && incident.status !== 'resolved') {
    const settings = await readSettings(trx);
    await writes.updateIncidentRow(trx, incident.id, {
      review_due_on:
        input.review_on ??
        incident.review_due_on ??
        defaultReviewDate(at, settings.time_zone, settings.review_business_days),
    });
  }
  await recordAudit(trx, approvedBy ?? author, at, {
    action: `${incident.kind}.update`,
    targetType: incident.kind,
    targetId: incident.id,
    details: {
      update_id: updateId,
      status: input.status,
      components: input.components ?? {},
      notify: input.notify,
      ...(input.impact ? { impact: input.impact } : {}),
      ...(approvedBy ? { author: author.label, approved_by: approvedBy.label } : {}),
    },
  });
  return updateId;
}

/** Fixes a typo in a posted update; the page marks it as edited and the audit log keeps the old text. */
export async function correctUpdate(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  updateId: string,
  body: string,
): Promise<UpdateView> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx, touch) => {
    const incident = await requireIncident(trx, incidentId);
    const update = await repo.findUpdate(trx, incidentId, updateId);
    if (!update) throw new NotFound(`Update ${updateId} of incident ${incidentId} does not exist`);
    const at = iso(ctx.now());
    // Where public words need a second member, their author cannot rewrite them alone afterwards.
    if (
      update.body !== body &&
      actor.kind === 'user' &&
      update.author_id === actor.userId &&
      (await incidentNeedsApproval(trx, incident))
    )
      throw new Forbidden('At this severity another member corrects an update you wrote');
    if (update.body !== body) {
      await writes.correctUpdateBody(trx, updateId, body, at);
      await recordAudit(trx, actor, at, {
        action: `${incident.kind}.update.correct`,
        targetType: 'incident_update',
        targetId: updateId,
        details: { incident_id: incidentId, previous_body: update.body, body },
      });
      touch(...incidentTags(incident));
    }
    const view = await viewOf(trx, incident);
    const corrected = view.incident_updates.find((u) => u.id === updateId);
    if (!corrected) throw new NotFound(`Update ${updateId} does not exist`);
    return corrected;
  });
}

export async function renameIncident(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  patch: { name?: string; impact?: Impact },
): Promise<IncidentView> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx, touch) => {
    const incident = await requireIncident(trx, incidentId);
    const at = iso(ctx.now());
    await writes.updateIncidentRow(trx, incidentId, { ...patch, updated_at: at });
    // The team's timeline says what changed and who changed it.
    if (patch.name !== undefined && patch.name !== incident.name)
      await recordIncidentLog(trx, actor, at, {
        incidentId,
        kind: 'title',
        body: `Title changed from “${incident.name}” to “${patch.name}”`,
        details: { from: incident.name, to: patch.name },
      });
    if (patch.impact !== undefined && patch.impact !== incident.impact)
      await recordIncidentLog(trx, actor, at, {
        incidentId,
        kind: 'impact',
        body: `Impact changed from ${incident.impact} to ${patch.impact}`,
        details: { from: incident.impact, to: patch.impact },
      });
    await recordAudit(trx, actor, at, {
      action: `${incident.kind}.edit`,
      targetType: incident.kind,
      targetId: incidentId,
      details: { ...patch, previous: { name: incident.name, impact: incident.impact } },
    });
    touch(...incidentTags(incident));
    return viewOf(trx, await requireIncident(trx, incidentId));
  });
}

/** Deleting an open event first hands its components back, as closing it would. */
export async function deleteIncident(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  kind: IncidentKind = 'incident',
): Promise<void> {
  authorize(actor, 'manage_incidents');
  await write(ctx, async (trx, touch) => {
    const incident = await requireIncident(trx, incidentId, kind);
    const at = iso(ctx.now());
    if (isActive(kind, incident.status)) {
      await writes.updateIncidentRow(trx, incidentId, { status: kind === 'incident' ? 'resolved' : 'completed' });
      await releaseComponents(trx, actor, incidentId, [], at, { incidentId: null, updateId: null });
    }
    await writes.deleteIncidentRow(trx, incidentId);
    await recordAudit(trx, actor, at, {
      action: `${kind}.delete`,
      targetType: kind,
      targetId: incidentId,
      details: { name: incident.name, code: incident.code, status: incident.status },
    });
    touch(...incidentTags(incident));
  });
}

/**
 * "Nothing new to say": the lead looked, and there is honestly no news. The public update clock
 * restarts from now; customers see nothing, and the log says who decided so.
 */
export async function acknowledgeUpdateDue(ctx: ServiceContext, actor: Actor, incidentId: string): Promise<void> {
  authorize(actor, 'manage_incidents');
  await write(ctx, async (trx) => {
    const incident = await requireIncident(trx, incidentId, 'incident');
    if (isClosedStatus(incident.status)) throw new Conflict('The incident is resolved; no update is due');
    const at = iso(ctx.now());
    await writes.updateIncidentRow(trx, incidentId, { update_acknowledged_at: at });
    await recordIncidentLog(trx, actor, at, {
      incidentId,
      kind: 'acknowledged',
      body: 'Nothing new to tell customers: the update clock restarts',
    });
    await recordAudit(trx, actor, at, {
      action: 'incident.update_due.acknowledge',
      targetType: 'incident',
      targetId: incidentId,
    });
  });
}
