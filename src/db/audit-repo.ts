import type { Insertable, Kysely } from 'kysely';
import type { AuditEntry, AuditLogTable, Database } from './schema.ts';

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
