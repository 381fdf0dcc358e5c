import type { Kysely } from 'kysely';
import { findComponents, statusChangesOfUpdates } from '../db/components-repo.ts';
import { componentIdsOf, updatesOf } from '../db/incidents-repo.ts';
import type { Database, Incident } from '../db/schema.ts';
import type { ComponentStatus } from '../domain/component-status.ts';
import type { AnyIncidentStatus } from '../domain/incident.ts';
import { publicPostmortem } from '../domain/postmortem.ts';

export type ComponentRef = { id: string; name: string; status: ComponentStatus };

export type ComponentChange = {
  id: string;
  name: string;
  old_status: ComponentStatus | null;
  new_status: ComponentStatus;
};

export type UpdateView = {
  id: string;
  incident_id: string;
  status: AnyIncidentStatus;
  body: string;
  author: string;
  notify: boolean;
  created_at: string;
  edited_at: string | null;
  affected_components: ComponentChange[];
};

/** An incident with what the API and pages show of it: components and updates (newest first). */
export type IncidentView = Incident & {
  components: ComponentRef[];
  incident_updates: UpdateView[];
};

/**
 * What anything public may read of an incident (pages, feeds, the v2 JSON, every notification
 * channel): the postmortem without its private "(internal)" sections. The console reads the
 * whole text through `incidentViews`.
 */
export function publicIncident<T extends Incident>(incident: T): T {
  if (incident.postmortem_body === null) return incident;
  return { ...incident, postmortem_body: publicPostmortem(incident.postmortem_body) };
}

/** The public read model: `incidentViews` with each postmortem cut to its public part. */
export async function publicIncidentViews(
  q: Kysely<Database>,
  incidents: readonly Incident[],
  latestUpdates?: number,
): Promise<IncidentView[]> {
  return (await incidentViews(q, incidents, latestUpdates)).map(publicIncident);
}

/**
 * The team's read model (console, admin API). `latestUpdates` keeps only each incident's newest
 * updates, for lists and the home page.
 */
export async function incidentViews(
  q: Kysely<Database>,
  incidents: readonly Incident[],
  latestUpdates?: number,
): Promise<IncidentView[]> {
  const ids = incidents.map((i) => i.id);
  const [componentIds, updates] = await Promise.all([componentIdsOf(q, ids), updatesOf(q, ids, latestUpdates)]);
  const changes = await statusChangesOfUpdates(
    q,
    latestUpdates === undefined ? { incidentIds: ids } : { updateIds: updates.map((u) => u.id) },
  );
  const allComponentIds = new Set([...componentIds.values()].flat().concat(changes.map((c) => c.component_id)));
  const components = new Map((await findComponents(q, [...allComponentIds])).map((c) => [c.id, c]));

  const changesByUpdate = new Map<string, ComponentChange[]>();
  for (const change of changes) {
    if (!change.update_id) continue;
    const list = changesByUpdate.get(change.update_id) ?? [];
    list.push({
      id: change.component_id,
      name: components.get(change.component_id)?.name ?? 'Deleted component',
      old_status: change.from_status,
      new_status: change.to_status,
    });
    changesByUpdate.set(change.update_id, list);
  }

  const updatesByIncident = new Map<string, UpdateView[]>(ids.map((id) => [id, []]));
  for (const u of updates) {
    updatesByIncident.get(u.incident_id)?.unshift({
      id: u.id,
      incident_id: u.incident_id,
      status: u.status,
      body: u.body,
      author: u.author_label,
      notify: u.notify === 1,
      created_at: u.created_at,
      edited_at: u.edited_at,
      affected_components: changesByUpdate.get(u.id) ?? [],
    });
  }

  return incidents.map((incident) => ({
    ...incident,
    components: (componentIds.get(incident.id) ?? [])
      .map((id) => components.get(id))
      .filter((c) => c !== undefined)
      .map((c) => ({ id: c.id, name: c.name, status: c.status })),
    incident_updates: updatesByIncident.get(incident.id) ?? [],
  }));
}
