import type { Kysely } from 'kysely';
import type { ComponentStatus } from '../domain/component-status.ts';
import type { Component, ComponentGroup, ComponentStatusChange, Database } from './schema.ts';

type Q = Kysely<Database>;

export function listComponents(q: Q, options: { includeHidden: boolean }): Promise<Component[]> {
  let query = q.selectFrom('components').selectAll();
  if (!options.includeHidden) query = query.where('hidden', '=', 0);
  return query.orderBy('position').orderBy('created_at').execute();
}

export function findComponent(q: Q, id: string): Promise<Component | undefined> {
  return q.selectFrom('components').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findComponents(q: Q, ids: readonly string[]): Promise<Component[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.selectFrom('components').selectAll().where('id', 'in', ids).execute();
}

export async function nextComponentPosition(q: Q): Promise<number> {
  const row = await q
    .selectFrom('components')
    .select((eb) => eb.fn.max<number | null>('position').as('max'))
    .executeTakeFirst();
  return (row?.max ?? -1) + 1;
}

export function listGroups(q: Q): Promise<ComponentGroup[]> {
  return q.selectFrom('component_groups').selectAll().orderBy('position').orderBy('created_at').execute();
}

export function findGroup(q: Q, id: string): Promise<ComponentGroup | undefined> {
  return q.selectFrom('component_groups').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function nextGroupPosition(q: Q): Promise<number> {
  const row = await q
    .selectFrom('component_groups')
    .select((eb) => eb.fn.max<number | null>('position').as('max'))
    .executeTakeFirst();
  return (row?.max ?? -1) + 1;
}

export type StatusChangeRecord = {
  componentId: string;
  from: ComponentStatus | null;
  to: ComponentStatus;
  at: string;
  actorId: string | null;
  actorLabel: string;
  incidentId: string | null;
  updateId: string | null;
};

export async function insertStatusChange(q: Q, change: StatusChangeRecord): Promise<void> {
  await q
    .insertInto('component_status_changes')
    .values({
      component_id: change.componentId,
      from_status: change.from,
      to_status: change.to,
      changed_at: change.at,
      actor_id: change.actorId,
      actor_label: change.actorLabel,
      incident_id: change.incidentId,
      update_id: change.updateId,
    })
    .execute();
}

export function listStatusChanges(
  q: Q,
  componentId: string,
  limit: number,
  offset: number,
): Promise<ComponentStatusChange[]> {
  return q
    .selectFrom('component_status_changes')
    .selectAll()
    .where('component_id', '=', componentId)
    .orderBy('changed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countStatusChanges(q: Q, componentId: string): Promise<number> {
  const row = await q
    .selectFrom('component_status_changes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('component_id', '=', componentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The changes made by updates: by update id for a few, by incident for whole timelines. */
export function statusChangesOfUpdates(
  q: Q,
  scope: { updateIds: readonly string[] } | { incidentIds: readonly string[] },
): Promise<ComponentStatusChange[]> {
  const ids = 'updateIds' in scope ? scope.updateIds : scope.incidentIds;
  if (ids.length === 0) return Promise.resolve([]);
  const query = q.selectFrom('component_status_changes').selectAll().where('update_id', 'is not', null);
  return ('updateIds' in scope ? query.where('update_id', 'in', ids) : query.where('incident_id', 'in', ids))
    .orderBy('id')
    .execute();
}

export async function insertComponent(q: Q, component: Component): Promise<void> {
  await q.insertInto('components').values(component).execute();
}

export async function updateComponentRow(
  q: Q,
  id: string,
  changes: Partial<Omit<Component, 'id' | 'created_at'>>,
): Promise<void> {
  await q.updateTable('components').set(changes).where('id', '=', id).execute();
}

export async function deleteComponentRow(q: Q, id: string): Promise<void> {
  await q.deleteFrom('components').where('id', '=', id).execute();
}

export async function insertGroup(q: Q, group: ComponentGroup): Promise<void> {
  await q.insertInto('component_groups').values(group).execute();
}

export async function updateGroupRow(
  q: Q,
  id: string,
  changes: Partial<Omit<ComponentGroup, 'id' | 'created_at'>>,
): Promise<void> {
  await q.updateTable('component_groups').set(changes).where('id', '=', id).execute();
}

export async function deleteGroupRow(q: Q, id: string): Promise<void> {
  await q.deleteFrom('component_groups').where('id', '=', id).execute();
}
