import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import type { IncidentKind } from '../domain/incident.ts';
import type { ActionItem, ActionItemsTable, ActionItemState, Database } from './schema.ts';

type Q = Kysely<Database>;

/** An action item with the incident it came from, for lists across incidents. */
export type ActionItemRow = ActionItem & { incident_code: string; incident_name: string; incident_kind: IncidentKind };

/** `overdueBefore`: only items not done whose due date is before that day (YYYY-MM-DD). */
export type ActionItemFilter = { state?: ActionItemState; overdueBefore?: string; incidentId?: string };

export async function insertActionItem(q: Q, item: Insertable<ActionItemsTable>): Promise<void> {
  await q.insertInto('action_items').values(item).execute();
}

export function findActionItem(q: Q, id: string): Promise<ActionItem | undefined> {
  return q.selectFrom('action_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateActionItemRow(q: Q, id: string, changes: Updateable<ActionItemsTable>): Promise<void> {
  await q.updateTable('action_items').set(changes).where('id', '=', id).execute();
}

export async function deleteActionItemRow(q: Q, id: string): Promise<void> {
  await q.deleteFrom('action_items').where('id', '=', id).execute();
}

function joined(q: Q) {
  return q.selectFrom('action_items').innerJoin('incidents', 'incidents.id', 'action_items.incident_id');
}

const INCIDENT_COLUMNS = [
  'incidents.code as incident_code',
  'incidents.name as incident_name',
  'incidents.kind as incident_kind',
] as const;

export function actionItemRow(q: Q, id: string): Promise<ActionItemRow | undefined> {
  return joined(q)
    .selectAll('action_items')
    .select(INCIDENT_COLUMNS)
    .where('action_items.id', '=', id)
    .executeTakeFirst();
}

function filtered(q: Q, filter: ActionItemFilter) {
  let query = joined(q);
  if (filter.incidentId) query = query.where('action_items.incident_id', '=', filter.incidentId);
  if (filter.state) query = query.where('action_items.state', '=', filter.state);
  if (filter.overdueBefore) {
    query = query
      .where('action_items.state', '!=', 'done')
      .where('action_items.due_on', 'is not', null)
      .where('action_items.due_on', '<', filter.overdueBefore);
  }
  return query;
}

/** Soonest due first (undated last), then oldest first: what to chase is at the top. */
export function actionItemRows(
  q: Q,
  filter: ActionItemFilter,
  limit: number,
  offset: number,
): Promise<ActionItemRow[]> {
  return filtered(q, filter)
    .selectAll('action_items')
    .select(INCIDENT_COLUMNS)
    .orderBy(sql`case when action_items.due_on is null then 1 else 0 end`)
    .orderBy('action_items.due_on')
    .orderBy('action_items.created_at')
    .orderBy('action_items.id')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countActionItems(q: Q, filter: ActionItemFilter): Promise<number> {
  const row = await filtered(q, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many items of each incident are not done yet. */
export async function unfinishedCounts(q: Q, incidentIds: readonly string[]): Promise<Map<string, number>> {
  if (incidentIds.length === 0) return new Map();
  const rows = await q
    .selectFrom('action_items')
    .select(['incident_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('incident_id', 'in', incidentIds)
    .where('state', '!=', 'done')
    .groupBy('incident_id')
    .execute();
  return new Map(rows.map((r) => [r.incident_id, Number(r.n)]));
}

/** Incidents whose review has a date and whose postmortem is not published yet, soonest first (then resolved first). */
export function reviewRows(q: Q, limit: number) {
  return q
    .selectFrom('incidents')
    .select([
      'id',
      'code',
      'name',
      'kind',
      'status',
      'resolved_at',
      'review_due_on',
      // 0/1 on SQLite, a boolean on PostgreSQL.
      sql<number | boolean>`postmortem_body is not null`.as('postmortem_drafted'),
    ])
    .where('review_due_on', 'is not', null)
    .where('postmortem_published_at', 'is', null)
    .orderBy('review_due_on')
    .orderBy('resolved_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function setReviewDueOn(q: Q, incidentId: string, dueOn: string | null): Promise<void> {
  await q.updateTable('incidents').set({ review_due_on: dueOn }).where('id', '=', incidentId).execute();
}
