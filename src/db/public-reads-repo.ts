import type { Kysely } from 'kysely';
import { INCIDENT_KINDS, type IncidentKind } from '../domain/incident.ts';
import type { Database, Incident } from './schema.ts';

type Q = Kysely<Database>;

// The queries behind the public pages and documents. Each is bounded or pinned to an index
// (migration 0010), so a page costs the same whatever the size of the history.

/** Newest first by start (maintenance: by its window's start). */
export function recentIncidentRows(
  q: Q,
  options: { kind?: IncidentKind; limit: number; offset?: number },
): Promise<Incident[]> {
  let query = q.selectFrom('incidents').selectAll();
  if (options.kind) query = query.where('kind', '=', options.kind);
  return query
    .orderBy((eb) => eb.fn.coalesce('scheduled_for', 'started_at'), 'desc')
    .orderBy('created_at', 'desc')
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
}

export function unresolvedIncidentRows(q: Q): Promise<Incident[]> {
  return q
    .selectFrom('incidents')
    .selectAll()
    .where('kind', '=', 'incident')
    .where('status', '!=', 'resolved')
    .orderBy('started_at', 'desc')
    .execute();
}

export function maintenanceRowsIn(
  q: Q,
  statuses: readonly ('scheduled' | 'in_progress' | 'verifying')[],
): Promise<Incident[]> {
  return q
    .selectFrom('incidents')
    .selectAll()
    .where('kind', '=', 'maintenance')
    .where('status', 'in', statuses)
    .orderBy('scheduled_for', 'asc')
    .execute();
}

/**
 * Over (resolved incidents, completed maintenance) and started since a time, newest first, at
 * most `limit`. What is still open is listed once, under its own heading, not among the past.
 */
export function pastIncidentRows(q: Q, since: string, limit: number): Promise<Incident[]> {
  return q
    .selectFrom('incidents')
    .selectAll()
    .where('started_at', '>=', since)
    .where('status', 'in', ['resolved', 'completed'])
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
}

/** One page of the history (not-yet-started maintenance left out), and how many there are. */
export async function historyRows(q: Q, limit: number, offset: number): Promise<{ rows: Incident[]; total: number }> {
  const base = q
    .selectFrom('incidents')
    .where((eb) => eb.or([eb('kind', '=', 'incident'), eb('status', '!=', 'scheduled')]));
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('started_at', 'desc').orderBy('created_at', 'desc').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Open incidents and maintenance, with both columns of the (kind, status) index pinned. */
export function openIncidentRows(q: Q, openStatuses: readonly string[]): Promise<Incident[]> {
  return q
    .selectFrom('incidents')
    .selectAll()
    .where('kind', 'in', INCIDENT_KINDS)
    .where('status', 'in', openStatuses as Incident['status'][])
    .orderBy('started_at', 'desc')
    .execute();
}

/** When any incident last changed (the updated_at index answers it). */
export async function latestIncidentChange(q: Q): Promise<string | null> {
  const row = await q
    .selectFrom('incidents')
    .select((eb) => eb.fn.max('updated_at').as('at'))
    .executeTakeFirst();
  return row?.at ?? null;
}
