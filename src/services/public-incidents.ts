import type { IncidentKind } from '../domain/incident.ts';
import type { ServiceContext } from './context.ts';
import { type IncidentView, incidentViews } from './incident-view.ts';

/**
 * Read models of incidents and maintenance for public documents (v2 JSON, feeds, history).
 * Newest first by start (maintenance: by window start); full update timelines.
 */
export async function recentIncidents(ctx: ServiceContext, options: { kind?: IncidentKind; limit: number; offset?: number }): Promise<IncidentView[]> {
  let query = ctx.db.selectFrom('incidents').selectAll();
  if (options.kind) query = query.where('kind', '=', options.kind);
  const rows = await query
    .orderBy((eb) => eb.fn.coalesce('scheduled_for', 'started_at'), 'desc')
    .orderBy('created_at', 'desc')
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
  return incidentViews(ctx.db, rows);
}

/** Open incidents (not resolved), newest first. */
export async function unresolvedIncidents(ctx: ServiceContext): Promise<IncidentView[]> {
  const rows = await ctx.db.selectFrom('incidents').selectAll().where('kind', '=', 'incident').where('status', '!=', 'resolved').orderBy('started_at', 'desc').execute();
  return incidentViews(ctx.db, rows);
}

/** Maintenance by phase: `upcoming` is scheduled, `active` is in progress or verifying. Soonest first. */
export async function maintenanceIn(ctx: ServiceContext, phase: 'upcoming' | 'active'): Promise<IncidentView[]> {
  const statuses = phase === 'upcoming' ? (['scheduled'] as const) : (['in_progress', 'verifying'] as const);
  const rows = await ctx.db
    .selectFrom('incidents')
    .selectAll()
    .where('kind', '=', 'maintenance')
    .where('status', 'in', statuses)
    .orderBy('scheduled_for', 'asc')
    .execute();
  return incidentViews(ctx.db, rows);
}
