import { readAuditLog } from '../../services/audit.ts';
import type { ServiceContext } from '../../services/context.ts';
import { paginate, pageRequest } from '../../services/paging.ts';
import * as settings from '../../services/settings.ts';
import * as templates from '../../services/templates.ts';
import type { RouteTable } from '../routes.ts';
import * as s from '../../services/schemas.ts';

export function pageRoutes(routes: RouteTable, ctx: ServiceContext): void {
  routes.add({
    method: 'get',
    path: '/settings',
    tag: 'Page settings',
    role: 'viewer',
    summary: 'Get the page settings',
    handler: ({ actor }) => settings.getSettings(ctx, actor),
  });
  routes.add({
    method: 'patch',
    path: '/settings',
    tag: 'Page settings',
    role: 'owner',
    summary: 'Change the page settings',
    body: s.settingsPatch,
    handler: ({ actor, body }) => settings.updateSettings(ctx, actor, body),
  });

  routes.add({
    method: 'get',
    path: '/templates',
    tag: 'Templates',
    role: 'viewer',
    summary: 'List update templates',
    query: s.listQuery,
    paged: true,
    handler: async ({ actor, query }) =>
      paginate(await templates.listTemplates(ctx, actor), pageRequest(query.page, query.per_page)),
  });
  routes.add({
    method: 'post',
    path: '/templates',
    tag: 'Templates',
    role: 'editor',
    summary: 'Create an update template',
    body: s.templateCreate,
    status: 201,
    handler: ({ actor, body }) => templates.createTemplate(ctx, actor, body),
  });
  routes.add({
    method: 'patch',
    path: '/templates/:id',
    tag: 'Templates',
    role: 'editor',
    summary: 'Change an update template',
    body: s.templatePatch,
    handler: ({ actor, body, param }) => templates.updateTemplate(ctx, actor, param('id'), body),
  });
  routes.add({
    method: 'delete',
    path: '/templates/:id',
    tag: 'Templates',
    role: 'editor',
    summary: 'Delete an update template',
    status: 204,
    handler: ({ actor, param }) => templates.deleteTemplate(ctx, actor, param('id')),
  });

  routes.add({
    method: 'get',
    path: '/audit-log',
    tag: 'Audit log',
    role: 'viewer',
    summary: 'Every write, newest first; filter by actor, action prefix and time',
    query: s.auditQuery,
    paged: true,
    handler: async ({ actor, query }) => {
      const entries = await readAuditLog(
        ctx,
        actor,
        { actorId: query.actor_id, action: query.action, since: query.since, until: query.until },
        pageRequest(query.page, query.per_page),
      );
      return { ...entries, items: entries.items.map((e) => ({ ...e, details: JSON.parse(e.details) as unknown })) };
    },
  });
}
