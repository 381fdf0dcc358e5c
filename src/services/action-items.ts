import type { Updateable } from 'kysely';
import * as repo from '../db/action-items-repo.ts';
import type { ActionItemFilter, ActionItemRow } from '../db/action-items-repo.ts';
import type { ActionItem, ActionItemsTable } from '../db/schema.ts';
import { findIncident } from '../db/incidents-repo.ts';
import { findUser } from '../db/users-repo.ts';
import { type ActionItemState, isOverdue } from '../domain/action-items.ts';
import { csvLine } from '../lib/csv.ts';
import { newId } from '../lib/ids.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, type Trx, write } from './context.ts';
import { Invalid, NotFound } from './errors.ts';
import { requireIncident } from './incidents.ts';
import { type Page, type PageRequest, pageOf } from './paging.ts';
import { pageToday } from './reviews.ts';
import type { ActionItemInput, ActionItemPatch } from './schemas.ts';

/** An action item as the console and the API show it: where it came from, and whether it is late. */
export type ActionItemView = ActionItem & {
  incident: { id: string; code: string; name: string };
  overdue: boolean;
};

/** What a list across incidents may ask for; `overdue` keeps only items not done and past due. */
export type ActionItemQuery = { state?: ActionItemState; overdue?: boolean; incidentId?: string };

/** The most rows one CSV export holds; a filter narrows a larger list. */
export const MAX_EXPORTED_ACTION_ITEMS = 10_000;

function viewOf(row: ActionItemRow, today: string): ActionItemView {
  const { incident_code, incident_name, incident_kind: _kind, ...item } = row;
  return {
    ...item,
    incident: { id: item.incident_id, code: incident_code, name: incident_name },
    overdue: isOverdue(item, today),
  };
}

function filterOf(query: ActionItemQuery, today: string): ActionItemFilter {
  return {
    ...(query.state ? { state: query.state } : {}),
    ...(query.overdue ? { overdueBefore: today } : {}),
    ...(query.incidentId ? { incidentId: query.incidentId } : {}),
  };
}

/** The owner as stored: a member (by id, their name kept for when they leave) or free text. */
async function ownerOf(
  trx: Trx,
  input: { owner_id?: string | undefined; owner_label?: string | undefined },
): Promise<Pick<ActionItem, 'owner_id' | 'owner_label'> | null> {
  if (input.owner_label !== undefined) return { owner_id: null, owner_label: input.owner_label };
  if (input.owner_id === undefined) return null;
  const member = await findUser(trx, input.owner_id);
  if (!member) {
    throw new Invalid('The action item is not valid', [
      { field: 'owner_id', message: `no team member ${input.owner_id}` },
    ]);
  }
  return { owner_id: member.id, owner_label: member.name || member.email };
}

async function requireItem(q: Trx | ServiceContext['db'], itemId: string): Promise<ActionItemRow> {
  const row = await repo.actionItemRow(q, itemId);
  if (!row) throw new NotFound(`Action item ${itemId} does not exist`);
  return row;
}

/** Notes an action item for an incident; it starts open. Team-only: nothing public changes. */
export async function createActionItem(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  item: ActionItemInput,
): Promise<ActionItemView> {
  authorize(actor, 'manage_incidents');
  const today = await pageToday(ctx);
  return write(ctx, async (trx) => {
    const incident = await requireIncident(trx, incidentId);
    const owner = await ownerOf(trx, item);
    if (!owner)
      throw new Invalid('The action item is not valid', [{ field: 'owner_label', message: 'name the owner' }]);
    const at = iso(ctx.now());
    const id = newId();
    await repo.insertActionItem(trx, {
      id,
      incident_id: incident.id,
      description: item.description,
      ...owner,
      due_on: item.due_on,
      priority: item.priority,
      state: 'open',
      created_at: at,
      updated_at: at,
      done_at: null,
    });
    await recordAudit(trx, actor, at, {
      action: 'action_item.create',
      targetType: 'action_item',
      targetId: id,
      details: { incident_id: incident.id, owner: owner.owner_label, due_on: item.due_on, priority: item.priority },
    });
    return viewOf(await requireItem(trx, id), today);
  });
}

/** Changes an item's words, owner, date, priority or state; done_at follows the state. */
export async function updateActionItem(
  ctx: ServiceContext,
  actor: Actor,
  itemId: string,
  patch: ActionItemPatch,
): Promise<ActionItemView> {
  authorize(actor, 'manage_incidents');
  const today = await pageToday(ctx);
  return write(ctx, async (trx) => {
    const before = await requireItem(trx, itemId);
    const at = iso(ctx.now());
    const { owner_id, owner_label, ...rest } = patch;
    const owner = await ownerOf(trx, { owner_id, owner_label });
    const changes: Updateable<ActionItemsTable> = { ...rest, ...(owner ?? {}), updated_at: at };
    if (patch.state && patch.state !== before.state) changes.done_at = patch.state === 'done' ? at : null;
    await repo.updateActionItemRow(trx, itemId, changes);
    await recordAudit(trx, actor, at, {
      action: 'action_item.update',
      targetType: 'action_item',
      targetId: itemId,
      details: {
        incident_id: before.incident_id,
        ...rest,
        ...(owner ? { owner: owner.owner_label } : {}),
        ...(patch.state ? { from_state: before.state } : {}),
      },
    });
    return viewOf(await requireItem(trx, itemId), today);
  });
}

export async function deleteActionItem(ctx: ServiceContext, actor: Actor, itemId: string): Promise<void> {
  authorize(actor, 'manage_incidents');
  await write(ctx, async (trx) => {
    const item = await requireItem(trx, itemId);
    await repo.deleteActionItemRow(trx, itemId);
    await recordAudit(trx, actor, iso(ctx.now()), {
      action: 'action_item.delete',
      targetType: 'action_item',
      targetId: itemId,
      details: { incident_id: item.incident_id, description: item.description },
    });
  });
}

/** An incident's action items, soonest due first. */
export async function actionItemsOf(ctx: ServiceContext, actor: Actor, incidentId: string): Promise<ActionItemView[]> {
  authorize(actor, 'read');
  if (!(await findIncident(ctx.db, incidentId))) throw new NotFound(`Incident ${incidentId} does not exist`);
  const [today, rows] = await Promise.all([
    pageToday(ctx),
    repo.actionItemRows(ctx.db, { incidentId }, MAX_EXPORTED_ACTION_ITEMS, 0),
  ]);
  return rows.map((r) => viewOf(r, today));
}

/** Action items across incidents, filtered by state and lateness; soonest due first. */
export async function listActionItems(
  ctx: ServiceContext,
  actor: Actor,
  query: ActionItemQuery,
  page: PageRequest,
): Promise<Page<ActionItemView>> {
  authorize(actor, 'read');
  const today = await pageToday(ctx);
  const filter = filterOf(query, today);
  const [rows, total] = await Promise.all([
    repo.actionItemRows(ctx.db, filter, page.perPage, page.offset),
    repo.countActionItems(ctx.db, filter),
  ]);
  return pageOf(
    rows.map((r) => viewOf(r, today)),
    total,
    page,
  );
}

const CSV_HEADER = [
  'id',
  'incident_code',
  'incident',
  'description',
  'owner',
  'priority',
  'state',
  'due_on',
  'overdue',
  'created_at',
  'done_at',
];

/** The same list as CSV (RFC 4180, a header row, formulas neutralised), at most 10,000 rows. */
export async function exportActionItemsCsv(ctx: ServiceContext, actor: Actor, query: ActionItemQuery): Promise<string> {
  authorize(actor, 'read');
  const today = await pageToday(ctx);
  const rows = await repo.actionItemRows(ctx.db, filterOf(query, today), MAX_EXPORTED_ACTION_ITEMS, 0);
  let csv = csvLine(CSV_HEADER);
  for (const row of rows) {
    csv += csvLine([
      row.id,
      row.incident_code,
      row.incident_name,
      row.description,
      row.owner_label,
      row.priority,
      row.state,
      row.due_on ?? '',
      isOverdue(row, today) ? 'yes' : 'no',
      row.created_at,
      row.done_at ?? '',
    ]);
  }
  return csv;
}
