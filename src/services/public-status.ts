import { listComponents, listGroups } from '../db/components-repo.ts';
import * as reads from '../db/public-reads-repo.ts';
import type { Component, ComponentGroup } from '../db/schema.ts';
import { pageStatus, type PageStatus } from '../domain/indicator.ts';
import { INCIDENT_STATUSES, MAINTENANCE_STATUSES } from '../domain/incident.ts';
import type { ServiceContext } from './context.ts';
import { type IncidentView, publicIncidentViews } from './incident-view.ts';
import { type PublicSettings, readSettings, withoutSecret } from './settings.ts';

const OPEN_STATUSES = [...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES].filter(
  (s) => s !== 'resolved' && s !== 'completed',
);

export type GroupView = ComponentGroup & { components: Component[] };

export type PublicStatus = {
  /** Without the secrets: pages, badges and channel messages render from it. */
  settings: PublicSettings;
  status: PageStatus;
  groups: GroupView[];
  ungrouped: Component[];
  activeIncidents: IncidentView[];
  activeMaintenance: IncidentView[];
  upcomingMaintenance: IncidentView[];
  /** When anything the page shows last changed (not when it was rendered: same data, same bytes). */
  lastChange: string;
};

/** The read model of the home page: what customers see, hidden components left out. */
export async function getPublicStatus(ctx: ServiceContext): Promise<PublicStatus> {
  const db = ctx.db;
  const [settings, components, groups, open] = await Promise.all([
    readSettings(db),
    listComponents(db, { includeHidden: false }),
    listGroups(db),
    // Both columns of the (kind, status) index pinned, so the history is never scanned.
    reads.openIncidentRows(db, OPEN_STATUSES),
  ]);
  const views = await publicIncidentViews(db, open, 1);
  // Answered from the updated_at index (migration 0010).
  const latestIncidentAt = await reads.latestIncidentChange(db);
  const lastChange = [settings.updated_at, latestIncidentAt ?? '', ...components.map((c) => c.updated_at)].reduce(
    (a, b) => (b > a ? b : a),
    '',
  );
  const activeIncidents = views.filter((v) => v.kind === 'incident');
  const activeMaintenance = views.filter((v) => v.kind === 'maintenance' && v.status !== 'scheduled');
  const upcomingMaintenance = views
    .filter((v) => v.kind === 'maintenance' && v.status === 'scheduled')
    .sort((a, b) => (a.scheduled_for ?? '').localeCompare(b.scheduled_for ?? ''));
  const byGroup = new Map<string, Component[]>();
  const ungrouped: Component[] = [];
  for (const c of components) {
    if (c.group_id) byGroup.set(c.group_id, [...(byGroup.get(c.group_id) ?? []), c]);
    else ungrouped.push(c);
  }
  return {
    settings: withoutSecret(settings),
    status: pageStatus({
      componentStatuses: components.map((c) => c.status),
      unresolvedIncidentImpacts: activeIncidents.map((i) => i.impact),
      maintenanceInProgress: activeMaintenance.length > 0,
    }),
    groups: groups.map((g) => ({ ...g, components: byGroup.get(g.id) ?? [] })).filter((g) => g.components.length > 0),
    ungrouped,
    activeIncidents,
    activeMaintenance,
    upcomingMaintenance,
    lastChange,
  };
}
