import type { Db } from '../db/database.ts';
import type { AuditEntry } from '../db/schema.ts';
import { type Actor, actorId } from './actor.ts';
import { authorize } from './authorize.ts';
import type { ServiceContext, Trx } from './context.ts';
import type { Page, PageRequest } from './paging.ts';
import { pageOf } from './paging.ts';

export type AuditRecord = {
  action: string;
  targetType: string;
  targetId: string | null;
  details?: Record<string, unknown>;
};

/** Written inside the use case's own transaction: no write without its audit row. */
export async function recordAudit(trx: Trx, actor: Actor, at: string, record: AuditRecord): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      at,
      actor_id: actorId(actor),
      actor_label: actor.label,
      action: record.action,
      target_type: record.targetType,
      target_id: record.targetId,
      details: JSON.stringify(record.details ?? {}),
    })
    .execute();
}

export type AuditFilter = { actorId?: string; action?: string; since?: string; until?: string };

export async function listAudit(db: Db, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
  let query = db.selectFrom('audit_log');
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.action) query = query.where('action', 'like', `${filter.action.replace(/[%_]/g, '')}%`);
  if (filter.since) query = query.where('at', '>=', filter.since);
  if (filter.until) query = query.where('at', '<', filter.until);
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const items = await query.selectAll().orderBy('id', 'desc').limit(page.perPage).offset(page.offset).execute();
  return pageOf(items, Number(total.n), page);
}

/** The audit log as a reader sees it: every role may read it, nobody may change it. */
export async function readAuditLog(ctx: ServiceContext, actor: Actor, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
  authorize(actor, 'read');
  return listAudit(ctx.db, filter, page);
}

/** The actions that occur in the log, for a filter menu. */
export async function auditActions(ctx: ServiceContext, actor: Actor): Promise<string[]> {
  authorize(actor, 'read');
  const rows = await ctx.db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute();
  return rows.map((r) => r.action);
}
