import { type Kysely, sql } from 'kysely';
import type { ComponentStatus } from '../domain/component-status.ts';
import type { Database } from './schema.ts';

export type ChangeRow = { component_id: string; to_status: ComponentStatus; changed_at: string };

/** For each component, the status in force at `since` and every change after it: two queries. */
export async function statusTimelines(
  q: Kysely<Database>,
  componentIds: readonly string[],
  since: string,
): Promise<Map<string, ChangeRow[]>> {
  const result = new Map<string, ChangeRow[]>(componentIds.map((id) => [id, []]));
  if (componentIds.length === 0) return result;
  const before = await q
    .selectFrom(
      q
        .selectFrom('component_status_changes')
        .select(['component_id', 'to_status', 'changed_at'])
        .select(sql<number>`row_number() over (partition by component_id order by changed_at desc, id desc)`.as('rank'))
        .where('component_id', 'in', componentIds)
        .where('changed_at', '<=', since)
        .as('latest'),
    )
    .select(['component_id', 'to_status', 'changed_at'])
    .where('rank', '=', 1)
    .execute();
  const after = await q
    .selectFrom('component_status_changes')
    .select(['component_id', 'to_status', 'changed_at'])
    .where('component_id', 'in', componentIds)
    .where('changed_at', '>', since)
    .orderBy('changed_at')
    .orderBy('id')
    .execute();
  for (const row of [...before, ...after]) result.get(row.component_id)?.push(row);
  return result;
}

export type IncidentSpan = {
  component_id: string;
  name: string;
  code: string;
  impact: string;
  started_at: string;
  resolved_at: string | null;
};

/** Incidents (not maintenance) touching the components since a time, for the bar's day details. */
export function incidentSpans(
  q: Kysely<Database>,
  componentIds: readonly string[],
  since: string,
): Promise<IncidentSpan[]> {
  if (componentIds.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('incident_components as ic')
    .innerJoin('incidents as i', 'i.id', 'ic.incident_id')
    .select(['ic.component_id', 'i.name', 'i.code', 'i.impact', 'i.started_at', 'i.resolved_at'])
    .where('i.kind', '=', 'incident')
    .where('ic.component_id', 'in', componentIds)
    .where((eb) => eb.or([eb('i.resolved_at', 'is', null), eb('i.resolved_at', '>=', since)]))
    .execute();
}
