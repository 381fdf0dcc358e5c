import * as repo from '../db/components-repo.ts';
import type { Component, ComponentGroup } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { setComponentStatus } from './component-status.ts';
import { iso, type ServiceContext, type Trx, write } from './context.ts';
import { Invalid, NotFound } from './errors.ts';
import { pageOf, pageRequest } from './paging.ts';
import type { z } from 'zod';
import type * as schemas from './schemas.ts';

export type ComponentInput = z.output<typeof schemas.componentCreate>;
export type ComponentPatch = z.output<typeof schemas.componentPatch>;

const PUBLIC_TAGS = ['status', 'history'];

async function requireGroup(trx: Trx, groupId: string | null | undefined): Promise<void> {
  if (groupId && !(await repo.findGroup(trx, groupId))) {
    throw new Invalid('The component group does not exist', [{ field: 'group_id', message: `no group ${groupId}` }]);
  }
}

export async function listComponents(ctx: ServiceContext, actor: Actor): Promise<Component[]> {
  authorize(actor, 'read');
  return repo.listComponents(ctx.db, { includeHidden: true });
}

/** The components customers see (not hidden), in display order: public pages and subscribe forms. */
export async function listVisibleComponents(ctx: ServiceContext): Promise<Component[]> {
  return repo.listComponents(ctx.db, { includeHidden: false });
}

export async function getComponent(ctx: ServiceContext, actor: Actor, id: string): Promise<Component> {
  authorize(actor, 'read');
  const component = await repo.findComponent(ctx.db, id);
  if (!component) throw new NotFound(`Component ${id} does not exist`);
  return component;
}

export async function createComponent(ctx: ServiceContext, actor: Actor, input: ComponentInput): Promise<Component> {
  authorize(actor, 'manage_components');
  return write(ctx, async (trx, touch) => {
    await requireGroup(trx, input.group_id);
    const at = iso(ctx.now());
    const component: Component = {
      id: newId(),
      group_id: input.group_id ?? null,
      name: input.name,
      description: input.description ?? null,
      position: await repo.nextComponentPosition(trx),
      status: input.status ?? 'operational',
      hidden: input.hidden ? 1 : 0,
      created_at: at,
      updated_at: at,
    };
    await repo.insertComponent(trx, component);
    // The first history row lets uptime know from when the component exists.
    await repo.insertStatusChange(trx, {
      componentId: component.id,
      from: null,
      to: component.status,
      at,
      actorId: actor.kind === 'user' ? actor.userId : null,
      actorLabel: actor.label,
      incidentId: null,
      updateId: null,
    });
    await recordAudit(trx, actor, at, {
      action: 'component.create',
      targetType: 'component',
      targetId: component.id,
      details: { name: component.name },
    });
    touch(...PUBLIC_TAGS);
    return component;
  });
}

/** Editors may change only the status; everything else about a component is the owner's. */
export async function updateComponent(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  patch: ComponentPatch,
): Promise<Component> {
  const onlyStatus = Object.keys(patch).every((k) => k === 'status');
  authorize(actor, onlyStatus ? 'manage_incidents' : 'manage_components');
  return write(ctx, async (trx, touch) => {
    const existing = await repo.findComponent(trx, id);
    if (!existing) throw new NotFound(`Component ${id} does not exist`);
    if (patch.group_id !== undefined) await requireGroup(trx, patch.group_id);
    const at = iso(ctx.now());
    const { status, hidden, ...fields } = patch;
    const set = {
      ...fields,
      ...(hidden === undefined ? {} : { hidden: hidden ? (1 as const) : (0 as const) }),
    };
    if (Object.keys(set).length > 0) {
      await repo.updateComponentRow(trx, id, { ...set, updated_at: at });
    }
    const change = status ? await setComponentStatus(trx, id, status, actor, at) : null;
    await recordAudit(trx, actor, at, {
      action: 'component.update',
      targetType: 'component',
      targetId: id,
      details: { ...patch, ...(change ? { from_status: change.from } : {}) },
    });
    // Permalinks name their components: a rename reaches every one of them.
    touch(...PUBLIC_TAGS, ...(patch.name !== undefined && patch.name !== existing.name ? ['incident:*'] : []));
    const updated = await repo.findComponent(trx, id);
    if (!updated) throw new NotFound(`Component ${id} does not exist`);
    return updated;
  });
}

export async function deleteComponent(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'manage_components');
  await write(ctx, async (trx, touch) => {
    const existing = await repo.findComponent(trx, id);
    if (!existing) throw new NotFound(`Component ${id} does not exist`);
    await repo.deleteComponentRow(trx, id);
    await recordAudit(trx, actor, iso(ctx.now()), {
      action: 'component.delete',
      targetType: 'component',
      targetId: id,
      details: { name: existing.name },
    });
    touch(...PUBLIC_TAGS, 'incident:*');
  });
}

/** Sets the display order from a full list of ids, so two editors' reorders never interleave. */
export async function reorderComponents(ctx: ServiceContext, actor: Actor, ids: string[]): Promise<Component[]> {
  authorize(actor, 'manage_components');
  return write(ctx, async (trx, touch) => {
    const all = await repo.listComponents(trx, { includeHidden: true });
    assertSamePermutation(
      all.map((c) => c.id),
      ids,
      'component',
    );
    const at = iso(ctx.now());
    for (const [position, id] of ids.entries()) {
      await repo.updateComponentRow(trx, id, { position, updated_at: at });
    }
    await recordAudit(trx, actor, at, {
      action: 'component.reorder',
      targetType: 'component',
      targetId: null,
      details: { order: ids },
    });
    touch(...PUBLIC_TAGS);
    return repo.listComponents(trx, { includeHidden: true });
  });
}

function assertSamePermutation(existing: string[], given: string[], what: string): void {
  const known = new Set(existing);
  const seen = new Set<string>();
  for (const id of given) {
    if (!known.has(id))
      throw new Invalid(`Unknown ${what} in the order`, [{ field: 'order', message: `no ${what} ${id}` }]);
    if (seen.has(id))
      throw new Invalid(`A ${what} appears twice in the order`, [{ field: 'order', message: `${id} is repeated` }]);
    seen.add(id);
  }
  if (seen.size !== known.size) {
    throw new Invalid(`The order must list every ${what} exactly once`, [
      { field: 'order', message: `expected ${known.size} ids, got ${seen.size}` },
    ]);
  }
}

export type GroupInput = z.output<typeof schemas.groupCreate>;

export async function listGroups(ctx: ServiceContext, actor: Actor): Promise<ComponentGroup[]> {
  authorize(actor, 'read');
  return repo.listGroups(ctx.db);
}

export async function createGroup(ctx: ServiceContext, actor: Actor, input: GroupInput): Promise<ComponentGroup> {
  authorize(actor, 'manage_components');
  return write(ctx, async (trx, touch) => {
    const at = iso(ctx.now());
    const group: ComponentGroup = {
      id: newId(),
      name: input.name,
      description: input.description ?? null,
      position: await repo.nextGroupPosition(trx),
      created_at: at,
      updated_at: at,
    };
    await repo.insertGroup(trx, group);
    await recordAudit(trx, actor, at, {
      action: 'group.create',
      targetType: 'component_group',
      targetId: group.id,
      details: { name: group.name },
    });
    touch('status');
    return group;
  });
}

export async function updateGroup(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  patch: Partial<GroupInput> & { position?: number },
): Promise<ComponentGroup> {
  authorize(actor, 'manage_components');
  return write(ctx, async (trx, touch) => {
    if (!(await repo.findGroup(trx, id))) throw new NotFound(`Component group ${id} does not exist`);
    const at = iso(ctx.now());
    await repo.updateGroupRow(trx, id, { ...patch, updated_at: at });
    await recordAudit(trx, actor, at, {
      action: 'group.update',
      targetType: 'component_group',
      targetId: id,
      details: patch,
    });
    touch('status');
    const group = await repo.findGroup(trx, id);
    if (!group) throw new NotFound(`Component group ${id} does not exist`);
    return group;
  });
}

/** Deleting a group keeps its components: they move to the top level. */
export async function deleteGroup(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'manage_components');
  await write(ctx, async (trx, touch) => {
    const group = await repo.findGroup(trx, id);
    if (!group) throw new NotFound(`Component group ${id} does not exist`);
    await repo.deleteGroupRow(trx, id);
    await recordAudit(trx, actor, iso(ctx.now()), {
      action: 'group.delete',
      targetType: 'component_group',
      targetId: id,
      details: { name: group.name },
    });
    touch('status');
  });
}

export async function reorderGroups(ctx: ServiceContext, actor: Actor, ids: string[]): Promise<ComponentGroup[]> {
  authorize(actor, 'manage_components');
  return write(ctx, async (trx, touch) => {
    const all = await repo.listGroups(trx);
    assertSamePermutation(
      all.map((g) => g.id),
      ids,
      'group',
    );
    const at = iso(ctx.now());
    for (const [position, id] of ids.entries()) {
      await repo.updateGroupRow(trx, id, { position, updated_at: at });
    }
    await recordAudit(trx, actor, at, {
      action: 'group.reorder',
      targetType: 'component_group',
      targetId: null,
      details: { order: ids },
    });
    touch('status');
    return repo.listGroups(trx);
  });
}

export async function componentHistory(ctx: ServiceContext, actor: Actor, id: string, page: number, perPage: number) {
  authorize(actor, 'read');
  if (!(await repo.findComponent(ctx.db, id))) throw new NotFound(`Component ${id} does not exist`);
  const request = pageRequest(page, perPage);
  const [items, total] = await Promise.all([
    repo.listStatusChanges(ctx.db, id, request.perPage, request.offset),
    repo.countStatusChanges(ctx.db, id),
  ]);
  return pageOf(items, total, request);
}
