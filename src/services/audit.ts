import type { AuditEntry } from '../db/schema.ts';
import { type Actor, actorId } from './actor.ts';
import { authorize } from './authorize.ts';
import type { ServiceContext, Trx } from './context.ts';
import type { Page, PageRequest } from './paging.ts';
import { pageOf } from './paging.ts';
import * as repo from '../db/audit-repo.ts';
import type { AuditFilter } from '../db/audit-repo.ts';
import { type AuditTarget, auditTargets } from './audit-targets.ts';

export type AuditRecord = {
  action: string;
  targetType: string;
  targetId: string | null;
  details?: Record<string, unknown>;
};

/** Written inside the use case's own transaction: no write without its audit row. */
export async function recordAudit(trx: Trx, actor: Actor, at: string, record: AuditRecord): Promise<void> {
  await repo.insertAuditEntry(trx, {
    at,
    actor_id: actorId(actor),
    actor_label: actor.label,
    action: record.action,
    target_type: record.targetType,
    target_id: record.targetId,
    details: JSON.stringify(record.details ?? {}),
  });
}

export type { AuditFilter };

export type { AuditTarget };

/** An entry with its target named (null when it has none, such as the settings). */
export type AuditEntryView = AuditEntry & { target: AuditTarget | null };

/**
 * The audit log as a reader sees it: every role may read it, nobody may change it. Targets are
 * named, not shown as ids: one query per kind of target for the page (src/services/audit-targets.ts).
 */
export async function readAuditLog(
  ctx: ServiceContext,
  actor: Actor,
  filter: AuditFilter,
  page: PageRequest,
): Promise<Page<AuditEntryView>> {
  authorize(actor, 'read');
  const { items, total } = await repo.auditPage(ctx.db, filter, page.perPage, page.offset);
  const targets = await auditTargets(ctx.db, items);
  return pageOf(
    items.map((e) => ({ ...e, target: targets.get(e.id) ?? null })),
    total,
    page,
  );
}

/** The actions that occur in the log, for a filter menu. */
export async function auditActions(ctx: ServiceContext, actor: Actor): Promise<string[]> {
  authorize(actor, 'read');
  return repo.auditActionNames(ctx.db);
}
