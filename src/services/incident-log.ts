import * as team from '../db/incident-team-repo.ts';
import type { IncidentLogEntry, IncidentLogKind } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { type Actor, actorId } from './actor.ts';
import { authorize } from './authorize.ts';
import type { ServiceContext, Trx } from './context.ts';

/** Written inside the use case's transaction, like its audit row; the console's timeline reads it. */
export async function recordIncidentLog(
  trx: Trx,
  actor: Actor,
  at: string,
  entry: { incidentId: string; kind: IncidentLogKind; body: string; details?: Record<string, unknown> },
): Promise<string> {
  const id = newId();
  await team.insertLogEntry(trx, {
    id,
    incident_id: entry.incidentId,
    kind: entry.kind,
    body: entry.body,
    details: entry.details ?? {},
    actor_id: actorId(actor),
    actor_label: actor.label,
    created_at: at,
  });
  return id;
}

export type IncidentLogView = Omit<IncidentLogEntry, 'details'> & { details: Record<string, unknown> };

export function logView(entry: IncidentLogEntry): IncidentLogView {
  return { ...entry, details: JSON.parse(entry.details) as Record<string, unknown> };
}

/** The team's side of an incident (notes, changes, approvals), oldest first. */
export async function incidentLogOf(ctx: ServiceContext, actor: Actor, incidentId: string): Promise<IncidentLogView[]> {
  authorize(actor, 'read');
  return (await team.logOf(ctx.db, incidentId)).map(logView);
}
