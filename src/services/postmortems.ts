import { hasContent, publicPostmortem } from '../domain/postmortem.ts';
import { enqueueNotification } from '../db/notifications-repo.ts';
import { endIncidentSubscriptions } from '../db/subscriptions-repo.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, write } from './context.ts';
import { Conflict, Invalid } from './errors.ts';
import type { IncidentView } from './incident-view.ts';
import { incidentTags, requireIncident, viewOf } from './incidents.ts';
import * as writes from '../db/incident-writes-repo.ts';

/** Saving a draft never changes the public page; publishing does. */
export async function savePostmortem(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  body: string,
): Promise<IncidentView> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx, touch) => {
    const incident = await requireIncident(trx, incidentId);
    const at = iso(ctx.now());
    await writes.updateIncidentRow(trx, incidentId, { postmortem_body: body, updated_at: at });
    await recordAudit(trx, actor, at, {
      action: 'postmortem.save',
      targetType: incident.kind,
      targetId: incidentId,
      details: { length: body.length },
    });
    // A published postmortem that is edited changes what the public sees.
    if (incident.postmortem_published_at) touch(...incidentTags(incident));
    return viewOf(trx, await requireIncident(trx, incidentId));
  });
}

export async function publishPostmortem(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  input: { notify: boolean },
): Promise<IncidentView> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx, touch) => {
    const incident = await requireIncident(trx, incidentId);
    // Judged on what the public will read: a postmortem whose only text is private has none.
    if (!hasContent(publicPostmortem(incident.postmortem_body ?? ''))) {
      throw new Invalid('Write the postmortem before publishing it', [
        { field: 'body', message: 'the postmortem has no public text besides headings' },
      ]);
    }
    if (incident.status !== 'resolved' && incident.status !== 'completed') {
      throw new Conflict('A postmortem is published once the incident is resolved');
    }
    const at = iso(ctx.now());
    await writes.updateIncidentRow(trx, incidentId, { postmortem_published_at: at, updated_at: at });
    await recordAudit(trx, actor, at, {
      action: 'postmortem.publish',
      targetType: incident.kind,
      targetId: incidentId,
      details: { notify: input.notify },
    });
    if (input.notify) await enqueueNotification(trx, { incidentId, updateId: null, event: 'postmortem.published', at });
    await endIncidentSubscriptions(trx, incidentId, at);
    touch(...incidentTags(incident));
    return viewOf(trx, await requireIncident(trx, incidentId));
  });
}
