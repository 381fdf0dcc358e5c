import type { ComponentStatus } from '../domain/component-status.ts';
import { impactRank } from '../domain/incident.ts';
import { impactOfStatuses } from '../domain/indicator.ts';
import { findComponents } from '../db/components-repo.ts';
import * as repo from '../db/incidents-repo.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorize.ts';
import type { ServiceContext } from './context.ts';
import { Conflict, Invalid, NotFound } from './errors.ts';
import { createIncident, postUpdate } from './incidents.ts';

export type StatusChange = {
  componentId: string;
  status: ComponentStatus;
  /** An open incident to post the change on, or null to open a new one. */
  incidentId: string | null;
  title?: string;
  body: string;
  notify: boolean;
};

/**
 * The dashboard's quick status change. A component's status is what customers read, so it never
 * changes silently: it is always an update of an incident, a new one or one already open, with a
 * message.
 */
export async function changeStatusThroughIncident(
  ctx: ServiceContext,
  actor: Actor,
  change: StatusChange,
): Promise<{ incidentId: string; created: boolean }> {
  authorize(actor, 'manage_incidents');
  if (!change.body.trim())
    throw new Invalid('Say in a sentence what customers should know; the change is posted as an update.', [
      { field: 'body', message: 'must not be empty' },
    ]);
  const [component] = await findComponents(ctx.db, [change.componentId]);
  if (!component) throw new NotFound(`Component ${change.componentId} does not exist`);
  const components = { [component.id]: change.status };
  if (change.incidentId === null) {
    const incident = await createIncident(ctx, actor, {
      name: change.title?.trim() || `Issues with ${component.name}`,
      status: 'investigating',
      body: change.body,
      components,
      notify: change.notify,
    });
    return { incidentId: incident.id, created: true };
  }
  const incident = await repo.findIncident(ctx.db, change.incidentId);
  if (!incident || incident.kind !== 'incident') throw new NotFound(`Incident ${change.incidentId} does not exist`);
  if (incident.status === 'resolved') throw new Conflict(`"${incident.name}" is resolved; open a new incident instead`);
  // A worse component status raises the incident's impact; a better one leaves it to the lead.
  const derived = impactOfStatuses([change.status]);
  await postUpdate(ctx, actor, incident.id, {
    status: incident.status,
    body: change.body,
    components,
    notify: change.notify,
    ...(impactRank(derived) > impactRank(incident.impact) ? { impact: derived } : {}),
  });
  return { incidentId: incident.id, created: false };
}
