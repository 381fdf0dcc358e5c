import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, Incident, IncidentsTable, IncidentUpdatesTable } from './schema.ts';

type Q = Kysely<Database>;

// The writes of incidents and maintenance, and the two reads they depend on. The public read
// models' queries are in incidents-repo.ts.

export async function insertIncident(q: Q, incident: Incident): Promise<void> {
  await q.insertInto('incidents').values(incident).execute();
}

/** `bumpSequence` raises the calendar SEQUENCE in the same statement (a window moved or was cancelled). */
export async function updateIncidentRow(
  q: Q,
  id: string,
  changes: Updateable<IncidentsTable>,
  options: { bumpSequence?: boolean } = {},
): Promise<void> {
  await q
    .updateTable('incidents')
    .set((eb) => ({ ...changes, ...(options.bumpSequence ? { sequence: eb('sequence', '+', 1) } : {}) }))
    .where('id', '=', id)
    .execute();
}

export async function deleteIncidentRow(q: Q, id: string): Promise<void> {
  await q.deleteFrom('incidents').where('id', '=', id).execute();
}

export async function insertUpdate(q: Q, update: Insertable<IncidentUpdatesTable>): Promise<void> {
  await q.insertInto('incident_updates').values(update).execute();
}

export async function correctUpdateBody(q: Q, updateId: string, body: string, at: string): Promise<void> {
  await q.updateTable('incident_updates').set({ body, edited_at: at }).where('id', '=', updateId).execute();
}

export async function hasUpdates(q: Q, incidentId: string): Promise<boolean> {
  return !!(await q
    .selectFrom('incident_updates')
    .select('id')
    .where('incident_id', '=', incidentId)
    .limit(1)
    .executeTakeFirst());
}

/** Whether an incident's first update notified subscribers (a maintenance's announcement). */
export async function firstUpdateNotified(q: Q, incidentId: string): Promise<boolean> {
  const first = await q
    .selectFrom('incident_updates')
    .select('notify')
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return first?.notify === 1;
}

/**
 * Marks a window reminded if it still is as the scheduler judged it (not reminded, not started,
 * same start and lead time). The update is the claim: of two passes at once, one gets `true`.
 */
export async function claimReminder(
  q: Q,
  window: Pick<Incident, 'id' | 'scheduled_for' | 'remind_minutes_before'>,
  at: string,
): Promise<boolean> {
  if (window.scheduled_for === null || window.remind_minutes_before === null) return false;
  const result = await q
    .updateTable('incidents')
    .set({ reminded_at: at })
    .where('id', '=', window.id)
    .where('status', '=', 'scheduled')
    .where('reminded_at', 'is', null)
    .where('scheduled_for', '=', window.scheduled_for)
    .where('remind_minutes_before', '=', window.remind_minutes_before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
