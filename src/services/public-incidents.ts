import { findIncidentByCode } from '../db/incidents-repo.ts';
import * as reads from '../db/public-reads-repo.ts';
import type { IncidentKind } from '../domain/incident.ts';
import type { ServiceContext } from './context.ts';
import { type IncidentView, publicIncidentViews } from './incident-view.ts';

/**
 * Read models of incidents and maintenance for public documents (v2 JSON, feeds, history).
 * Newest first by start (maintenance: by window start); full update timelines.
 */
export async function recentIncidents(
  ctx: ServiceContext,
  options: { kind?: IncidentKind; limit: number; offset?: number; latestUpdates?: number },
): Promise<IncidentView[]> {
  return publicIncidentViews(ctx.db, await reads.recentIncidentRows(ctx.db, options), options.latestUpdates);
}

/** Open incidents (not resolved), newest first. */
export async function unresolvedIncidents(ctx: ServiceContext): Promise<IncidentView[]> {
  return publicIncidentViews(ctx.db, await reads.unresolvedIncidentRows(ctx.db));
}

/** Maintenance by phase: `upcoming` is scheduled, `active` is in progress or verifying. Soonest first. */
export async function maintenanceIn(ctx: ServiceContext, phase: 'upcoming' | 'active'): Promise<IncidentView[]> {
  const statuses = phase === 'upcoming' ? (['scheduled'] as const) : (['in_progress', 'verifying'] as const);
  return publicIncidentViews(ctx.db, await reads.maintenanceRowsIn(ctx.db, statuses));
}

/**
 * The home page's past incidents: those over (resolved, completed: the open ones are listed once,
 * as active) that started since a time, newest first, at most `limit`, latest update only. Walks
 * the started_at index from the newest, so its cost does not grow with the history; `more` says
 * whether the cap cut the list.
 */
export async function pastIncidents(
  ctx: ServiceContext,
  since: string,
  limit: number,
): Promise<{ items: IncidentView[]; more: boolean }> {
  const rows = await reads.pastIncidentRows(ctx.db, since, limit + 1);
  return { items: await publicIncidentViews(ctx.db, rows.slice(0, limit), 1), more: rows.length > limit };
}

/** One page of the history, newest first; `total` tells how many pages there are. */
export async function historyPage(
  ctx: ServiceContext,
  page: number,
  perPage: number,
): Promise<{ items: IncidentView[]; total: number }> {
  const { rows, total } = await reads.historyRows(ctx.db, perPage, (page - 1) * perPage);
  return { items: await publicIncidentViews(ctx.db, rows, 1), total };
}

/** An incident's permalink page: the incident with its timeline, or null for an unknown code. */
export async function incidentByCode(ctx: ServiceContext, code: string): Promise<IncidentView | null> {
  if (!/^[a-z0-9]{1,32}$/.test(code)) return null;
  const incident = await findIncidentByCode(ctx.db, code);
  return incident ? ((await publicIncidentViews(ctx.db, [incident]))[0] ?? null) : null;
}

/** Whether a permalink exists, for the page cache to tell a real page from the shared 404. */
export async function incidentCodeExists(ctx: Pick<ServiceContext, 'db'>, code: string): Promise<boolean> {
  return !!(await findIncidentByCode(ctx.db, code));
}
