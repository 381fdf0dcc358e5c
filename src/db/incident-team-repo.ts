import type { Kysely } from 'kysely';
import type {
  Database,
  IncidentLogEntry,
  IncidentLogKind,
  IncidentRole,
  IncidentRoleName,
  PendingUpdate,
  PendingUpdateState,
} from './schema.ts';

type Q = Kysely<Database>;

export async function insertLogEntry(
  q: Q,
  entry: {
    id: string;
    incident_id: string;
    kind: IncidentLogKind;
    body: string;
    details: Record<string, unknown>;
    actor_id: string | null;
    actor_label: string;
    created_at: string;
  },
): Promise<void> {
  await q
    .insertInto('incident_log')
    .values({ ...entry, details: JSON.stringify(entry.details) })
    .execute();
}

/** The team's side of an incident, oldest first. */
export function logOf(q: Q, incidentId: string): Promise<IncidentLogEntry[]> {
  return q
    .selectFrom('incident_log')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .orderBy('seq')
    .execute();
}

/** When the newest entry of the given kinds was written, per incident. */
export async function newestLogAt(
  q: Q,
  incidentIds: readonly string[],
  kinds: readonly IncidentLogKind[],
): Promise<Map<string, string>> {
  if (incidentIds.length === 0) return new Map();
  const rows = await q
    .selectFrom('incident_log')
    .select(['incident_id', (eb) => eb.fn.max('created_at').as('at')])
    .where('incident_id', 'in', incidentIds)
    .where('kind', 'in', kinds)
    .groupBy('incident_id')
    .execute();
  return new Map(rows.map((r) => [r.incident_id, r.at]));
}

export async function insertPendingUpdate(
  q: Q,
  row: Pick<PendingUpdate, 'id' | 'incident_id' | 'input' | 'requested_by' | 'requested_label' | 'requested_at'>,
): Promise<void> {
  await q.insertInto('pending_updates').values(row).execute();
}

export function findPendingUpdate(q: Q, incidentId: string, id: string): Promise<PendingUpdate | undefined> {
  return q
    .selectFrom('pending_updates')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function pendingUpdatesOf(q: Q, incidentId: string): Promise<PendingUpdate[]> {
  return q
    .selectFrom('pending_updates')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('requested_at', 'desc')
    .execute();
}

/** Updates still waiting for approval, across incidents, oldest first (for the dashboard). */
export function waitingUpdates(q: Q, limit: number): Promise<Array<PendingUpdate & { incident_name: string }>> {
  return q
    .selectFrom('pending_updates')
    .innerJoin('incidents', 'incidents.id', 'pending_updates.incident_id')
    .selectAll('pending_updates')
    .select('incidents.name as incident_name')
    .where('pending_updates.state', '=', 'waiting')
    .orderBy('pending_updates.requested_at')
    .limit(limit)
    .execute();
}

/** Settles a waiting update; false when someone else settled it first. */
export async function settlePendingUpdate(
  q: Q,
  id: string,
  outcome: {
    state: Exclude<PendingUpdateState, 'waiting'>;
    decided_by: string | null;
    decided_label: string;
    decided_at: string;
    reason: string | null;
    update_id: string | null;
  },
): Promise<boolean> {
  const result = await q
    .updateTable('pending_updates')
    .set(outcome)
    .where('id', '=', id)
    .where('state', '=', 'waiting')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function rolesOf(q: Q, incidentId: string): Promise<Array<IncidentRole & { name: string; email: string }>> {
  return q
    .selectFrom('incident_roles')
    .innerJoin('users', 'users.id', 'incident_roles.user_id')
    .selectAll('incident_roles')
    .select(['users.name', 'users.email'])
    .where('incident_roles.incident_id', '=', incidentId)
    .execute();
}

export async function setRole(
  q: Q,
  incidentId: string,
  role: IncidentRoleName,
  userId: string | null,
  at: string,
): Promise<void> {
  await q.deleteFrom('incident_roles').where('incident_id', '=', incidentId).where('role', '=', role).execute();
  if (userId)
    await q
      .insertInto('incident_roles')
      .values({ incident_id: incidentId, role, user_id: userId, assigned_at: at })
      .execute();
}
