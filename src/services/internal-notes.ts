import { type Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, write } from './context.ts';
import { Conflict, Invalid } from './errors.ts';
import { recordIncidentLog } from './incident-log.ts';
import { requireIncident } from './incidents.ts';
import { queueStakeholderMessages, STAKEHOLDER_TAG } from './stakeholder-messages.ts';

/**
 * An internal note: for the team in the console and for the stakeholders of the incident's
 * severity, never for the public page, its feeds and JSON, or any subscriber. Nothing public is
 * touched, so no page is re-rendered.
 */
export async function addInternalNote(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  body: string,
): Promise<{ id: string; stakeholders: number }> {
  authorize(actor, 'manage_incidents');
  const text = body.trim();
  if (!text) throw new Invalid('Write the note', [{ field: 'body', message: 'must not be empty' }]);
  if (text.length > 20_000)
    throw new Invalid('The note is too long', [{ field: 'body', message: 'at most 20,000 characters' }]);
  return write(ctx, async (trx, touch) => {
    const incident = await requireIncident(trx, incidentId);
    if (incident.kind !== 'incident') throw new Conflict('Internal notes belong to incidents');
    const at = iso(ctx.now());
    const id = await recordIncidentLog(trx, actor, at, { incidentId, kind: 'note', body: text });
    const stakeholders = await queueStakeholderMessages(trx, {
      incident,
      event: 'note',
      status: incident.status,
      body: text,
      authorLabel: actor.label,
      internal: true,
      at,
    });
    await recordAudit(trx, actor, at, {
      action: 'incident.note',
      targetType: 'incident',
      targetId: incidentId,
      details: { note_id: id, stakeholders },
    });
    // Wakes the stakeholder sender; no public page carries this tag.
    if (stakeholders > 0) touch(STAKEHOLDER_TAG);
    return { id, stakeholders };
  });
}
