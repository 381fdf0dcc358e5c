import { type Kysely, sql } from 'kysely';
import type { IncidentKind } from '../domain/incident.ts';
import type { Database, Incident, IncidentUpdate } from './schema.ts';

type Q = Kysely<Database>;

export function findIncident(q: Q, id: string): Promise<Incident | undefined> {
  return q.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function incidentIdByCode(q: Q, code: string): Promise<string | undefined> {
  return (await q.selectFrom('incidents').select('id').where('code', '=', code).executeTakeFirst())?.id;
}

export function findIncidentByCode(q: Q, code: string): Promise<Incident | undefined> {
  return q.selectFrom('incidents').selectAll().where('code', '=', code).executeTakeFirst();
}

/** `titleContains` matches case-insensitively (ASCII), literally: `%` and `_` are not wildcards. */
export type IncidentFilter = { kind?: IncidentKind; open?: boolean; titleContains?: string };

function filtered(q: Q, filter: IncidentFilter) {
  let query = q.selectFrom('incidents');
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.open === true) query = query.where('status', 'not in', ['resolved', 'completed']);
  if (filter.open === false) query = query.where('status', 'in', ['resolved', 'completed']);
  if (filter.titleContains) {
    const pattern = `%${filter.titleContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`name like ${pattern} escape '\\'`);
  }
  return query;
}

export function listIncidents(q: Q, filter: IncidentFilter, limit: number, offset: number): Promise<Incident[]> {
  return filtered(q, filter)
    .selectAll()
    .orderBy(sql`coalesce(scheduled_for, started_at)`, 'desc')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countIncidents(q: Q, filter: IncidentFilter): Promise<number> {
  const row = await filtered(q, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function componentIdsOf(q: Q, incidentIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(incidentIds.map((id) => [id, []]));
  if (incidentIds.length === 0) return map;
  const rows = await q
    .selectFrom('incident_components')
    .select(['incident_id', 'component_id'])
    .where('incident_id', 'in', incidentIds)
    .execute();
  for (const row of rows) map.get(row.incident_id)?.push(row.component_id);
  return map;
}

export async function attachComponents(q: Q, incidentId: string, componentIds: readonly string[]): Promise<void> {
  if (componentIds.length === 0) return;
  await q
    .insertInto('incident_components')
    .values(componentIds.map((component_id) => ({ incident_id: incidentId, component_id })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function replaceComponents(q: Q, incidentId: string, componentIds: readonly string[]): Promise<void> {
  await q.deleteFrom('incident_components').where('incident_id', '=', incidentId).execute();
  await attachComponents(q, incidentId, componentIds);
}

/**
 * Updates oldest first; rowid breaks ties between updates posted in the same millisecond. With
 * `latest`, only each incident's newest few, so a long-running incident does not weigh on lists.
 */
export async function updatesOf(q: Q, incidentIds: readonly string[], latest?: number): Promise<IncidentUpdate[]> {
  if (incidentIds.length === 0) return [];
  if (latest === undefined) {
    return q
      .selectFrom('incident_updates')
      .selectAll()
      .where('incident_id', 'in', incidentIds)
      .orderBy('created_at')
      .orderBy(sql`rowid`)
      .execute();
  }
  const ranked = q
    .selectFrom('incident_updates')
    .selectAll()
    .select(sql<number>`row_number() over (partition by incident_id order by created_at desc, rowid desc)`.as('rank'))
    .select(sql<number>`rowid`.as('seq'))
    .where('incident_id', 'in', incidentIds);
  const rows = await q
    .selectFrom(ranked.as('r'))
    .selectAll()
    .where('rank', '<=', latest)
    .orderBy('created_at')
    .orderBy('seq')
    .execute();
  return rows.map(({ rank: _rank, seq: _seq, ...update }) => update);
}

export function findUpdate(q: Q, incidentId: string, updateId: string): Promise<IncidentUpdate | undefined> {
  return q
    .selectFrom('incident_updates')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('id', '=', updateId)
    .executeTakeFirst();
}

/** Which open incidents and maintenance windows hold which components right now. */
export function openHolds(q: Q): Promise<Array<{ componentId: string; incidentId: string }>> {
  return q
    .selectFrom('incident_components as ic')
    .innerJoin('incidents as i', 'i.id', 'ic.incident_id')
    .select(['ic.component_id as componentId', 'ic.incident_id as incidentId'])
    .where((eb) =>
      eb.or([
        eb.and([eb('i.kind', '=', 'incident'), eb('i.status', '!=', 'resolved')]),
        eb.and([eb('i.kind', '=', 'maintenance'), eb('i.status', 'in', ['in_progress', 'verifying'])]),
      ]),
    )
    .execute();
}

export function maintenanceDueToStart(q: Q, now: string): Promise<Incident[]> {
  return q
    .selectFrom('incidents')
    .selectAll()
    .where('kind', '=', 'maintenance')
    .where('status', '=', 'scheduled')
    .where('auto_start', '=', 1)
    .where('scheduled_for', '<=', now)
    .orderBy('scheduled_for')
    .execute();
}

/**
 * Windows not started, not cancelled and not reminded yet that ask for a reminder and start after
 * `now`; which of them are due is domain/maintenance-reminder.ts's rule.
 */
export function maintenanceAwaitingReminder(q: Q, now: string): Promise<Incident[]> {
  return q
    .selectFrom('incidents')
    .selectAll()
    .where('kind', '=', 'maintenance')
    .where('status', '=', 'scheduled')
    .where('cancelled_at', 'is', null)
    .where('remind_minutes_before', 'is not', null)
    .where('reminded_at', 'is', null)
    .where('scheduled_for', '>', now)
    .orderBy('scheduled_for')
    .execute();
}

export function maintenanceDueToComplete(q: Q, now: string): Promise<Incident[]> {
  return q
    .selectFrom('incidents')
    .selectAll()
    .where('kind', '=', 'maintenance')
    .where('status', 'in', ['in_progress', 'verifying'])
    .where('auto_complete', '=', 1)
    .where('scheduled_until', '<=', now)
    .orderBy('scheduled_until')
    .execute();
}

/** Maintenance not started nor cancelled whose window starts before `until`, soonest first. */
export function maintenanceScheduledBefore(q: Q, until: string): Promise<Incident[]> {
  return q
    .selectFrom('incidents')
    .selectAll()
    .where('kind', '=', 'maintenance')
    .where('status', '=', 'scheduled')
    .where('cancelled_at', 'is', null)
    .where('scheduled_for', '<', until)
    .orderBy('scheduled_for')
    .execute();
}
