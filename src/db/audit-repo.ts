import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuditEntry, AuditLogTable, Database, SubscribersTable } from './schema.ts';

type Q = Kysely<Database>;

export type AuditFilter = { actorId?: string; action?: string; since?: string; until?: string };

export async function insertAuditEntry(q: Q, entry: Insertable<AuditLogTable>): Promise<void> {
  await q.insertInto('audit_log').values(entry).execute();
}

/** A page of the log, newest first, and how many entries match in all. */
export async function auditPage(
  q: Q,
  filter: AuditFilter,
  limit: number,
  offset: number,
): Promise<{ items: AuditEntry[]; total: number }> {
  let query = q.selectFrom('audit_log');
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  // The action filter is a prefix; LIKE's own wildcards in it are matched literally by dropping them.
  if (filter.action) query = query.where('action', 'like', `${filter.action.replace(/[%_]/g, '')}%`);
  if (filter.since) query = query.where('at', '>=', filter.since);
  if (filter.until) query = query.where('at', '<', filter.until);
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const items = await query.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute();
  return { items, total: Number(total.n) };
}

export async function auditActionNames(q: Q): Promise<string[]> {
  return (await q.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()).map((r) => r.action);
}

// What the audit log's targets are called now: one query per kind of target, for a whole page.

/** Incidents and maintenance (both live in `incidents`). */
export function incidentNamesOf(q: Q, ids: readonly string[]): Promise<Array<{ id: string; name: string }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.selectFrom('incidents').select(['id', 'name']).where('id', 'in', ids).execute();
}

/** Updates, named by the incident they belong to. */
export function updateIncidentsOf(
  q: Q,
  ids: readonly string[],
): Promise<Array<{ id: string; incident_id: string; name: string }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('incident_updates as u')
    .innerJoin('incidents as i', 'i.id', 'u.incident_id')
    .select(['u.id as id', 'u.incident_id as incident_id', 'i.name as name'])
    .where('u.id', 'in', ids)
    .execute();
}

type NamedTable = 'components' | 'component_groups' | 'templates' | 'integrations' | 'api_tokens' | 'incident_drafts';

export function namesIn(q: Q, table: NamedTable, ids: readonly string[]): Promise<Array<{ id: string; name: string }>> {
  if (ids.length === 0) return Promise.resolve([]);
  // Each of these tables has a text id and a name; the union is narrowed for Kysely by hand.
  return (q as Kysely<Pick<Database, 'components'>>)
    .selectFrom(table as 'components')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .execute();
}

export function userNamesOf(q: Q, ids: readonly string[]): Promise<Array<{ id: string; email: string; name: string }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.selectFrom('users').select(['id', 'email', 'name']).where('id', 'in', ids).execute();
}

export function invitationEmailsOf(q: Q, ids: readonly string[]): Promise<Array<{ id: string; email: string }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.selectFrom('invitations').select(['id', 'email']).where('id', 'in', ids).execute();
}

export function subscriberAddressesOf(
  q: Q,
  ids: readonly number[],
): Promise<Array<Pick<Selectable<SubscribersTable>, 'id' | 'channel' | 'email' | 'push_endpoint' | 'target_url'>>> {
  if (ids.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('subscribers')
    .select(['id', 'channel', 'email', 'push_endpoint', 'target_url'])
    .where('id', 'in', ids)
    .execute();
}

export function stakeholderNamesOf(q: Q, ids: readonly number[]): Promise<Array<{ id: number; name: string }>> {
  if (ids.length === 0) return Promise.resolve([]);
  // A removed stakeholder's row stays (with removed_at): it is still named, as removed.
  return q
    .selectFrom('stakeholders')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .where('removed_at', 'is', null)
    .execute();
}

export function actionItemNamesOf(
  q: Q,
  ids: readonly string[],
): Promise<Array<{ id: string; description: string; incident_id: string }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.selectFrom('action_items').select(['id', 'description', 'incident_id']).where('id', 'in', ids).execute();
}
