import * as components from '../../services/components.ts';
import type { ServiceContext } from '../../services/context.ts';
import { paginate, pageRequest } from '../../services/paging.ts';
import type { RouteTable } from '../routes.ts';
import * as s from '../../services/schemas.ts';

export function componentRoutes(routes: RouteTable, ctx: ServiceContext): void {
  routes.add({
    method: 'get',
    path: '/components',
    tag: 'Components',
    role: 'viewer',
    summary: 'List components in display order',
    query: s.listQuery,
    paged: true,
    handler: async ({ actor, query }) =>
      paginate(await components.listComponents(ctx, actor), pageRequest(query.page, query.per_page)),
  });
  routes.add({
    method: 'post',
    path: '/components',
    tag: 'Components',
    role: 'owner',
    summary: 'Create a component',
    body: s.componentCreate,
    status: 201,
    handler: ({ actor, body }) => components.createComponent(ctx, actor, body),
  });
  routes.add({
    method: 'put',
    path: '/components/order',
    tag: 'Components',
    role: 'owner',
    summary: 'Set the display order of all components',
    body: s.reorder,
    handler: ({ actor, body }) => components.reorderComponents(ctx, actor, body.order),
  });
  routes.add({
    method: 'get',
    path: '/components/:id',
    tag: 'Components',
    role: 'viewer',
    summary: 'Get a component',
    handler: ({ actor, param }) => components.getComponent(ctx, actor, param('id')),
  });
  routes.add({
    method: 'patch',
    path: '/components/:id',
    tag: 'Components',
    role: 'editor',
    summary: 'Change a component (editors: status only)',
    body: s.componentPatch,
    handler: ({ actor, body, param }) => components.updateComponent(ctx, actor, param('id'), body),
  });
  routes.add({
    method: 'delete',
    path: '/components/:id',
    tag: 'Components',
    role: 'owner',
    summary: 'Delete a component',
    status: 204,
    handler: ({ actor, param }) => components.deleteComponent(ctx, actor, param('id')),
  });
  routes.add({
    method: 'get',
    path: '/components/:id/history',
    tag: 'Components',
    role: 'viewer',
    summary: 'Status changes of a component, newest first',
    query: s.pageQuery,
    paged: true,
    handler: ({ actor, param, query }) =>
      components.componentHistory(ctx, actor, param('id'), query.page, query.per_page),
  });

  routes.add({
    method: 'get',
    path: '/component-groups',
    tag: 'Component groups',
    role: 'viewer',
    summary: 'List component groups in display order',
    query: s.listQuery,
    paged: true,
    handler: async ({ actor, query }) =>
      paginate(await components.listGroups(ctx, actor), pageRequest(query.page, query.per_page)),
  });
  routes.add({
    method: 'post',
    path: '/component-groups',
    tag: 'Component groups',
    role: 'owner',
    summary: 'Create a component group',
    body: s.groupCreate,
    status: 201,
    handler: ({ actor, body }) => components.createGroup(ctx, actor, body),
  });
  routes.add({
    method: 'put',
    path: '/component-groups/order',
    tag: 'Component groups',
    role: 'owner',
    summary: 'Set the display order of all groups',
    body: s.reorder,
    handler: ({ actor, body }) => components.reorderGroups(ctx, actor, body.order),
  });
  routes.add({
    method: 'patch',
    path: '/component-groups/:id',
    tag: 'Component groups',
    role: 'owner',
    summary: 'Rename or describe a group',
    body: s.groupPatch,
    handler: ({ actor, body, param }) => components.updateGroup(ctx, actor, param('id'), body),
  });
  routes.add({
    method: 'delete',
    path: '/component-groups/:id',
    tag: 'Component groups',
    role: 'owner',
    summary: 'Delete a group (its components move to the top level)',
    status: 204,
    handler: ({ actor, param }) => components.deleteGroup(ctx, actor, param('id')),
  });
}
