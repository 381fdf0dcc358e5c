import { maintenanceScheduledBefore } from '../db/incidents-repo.ts';
import { type Actor } from './actor.ts';
import { authorize } from './authorize.ts';
import type { ServiceContext } from './context.ts';
import { type IncidentView, incidentViews } from './incident-view.ts';
import { readSettings } from './settings.ts';

export const UPCOMING_MAINTENANCE_DAYS = 14;

export type UpcomingMaintenance = {
  /** Scheduled windows starting within the days ahead (or due and not started yet), soonest first. */
  items: IncidentView[];
  days: number;
  /** The page's time zone, which the console shows times in. */
  timeZone: string;
};

/** The dashboard's look ahead: maintenance scheduled for the next `days` days, with its components. */
export async function upcomingMaintenance(
  ctx: ServiceContext,
  actor: Actor,
  days = UPCOMING_MAINTENANCE_DAYS,
): Promise<UpcomingMaintenance> {
  authorize(actor, 'read');
  const until = new Date(ctx.now().getTime() + days * 86_400_000).toISOString();
  const [rows, settings] = await Promise.all([maintenanceScheduledBefore(ctx.db, until), readSettings(ctx.db)]);
  return { items: await incidentViews(ctx.db, rows, 1), days, timeZone: settings.time_zone };
}
