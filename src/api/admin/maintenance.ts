import type { ServiceContext } from '../../services/context.ts';
import * as incidents from '../../services/incidents.ts';
import * as maintenance from '../../services/maintenance.ts';
import { pageRequest } from '../../services/paging.ts';
import type { RouteTable } from '../routes.ts';
import * as s from '../../services/schemas.ts';

const OPEN = { open: true, closed: false, all: undefined } as const;
const STEPS = { start: 'in_progress', verify: 'verifying', complete: 'completed' } as const;

export function maintenanceRoutes(routes: RouteTable, ctx: ServiceContext): void {
  routes.add({
    method: 'get',
    path: '/maintenance',
    tag: 'Maintenance',
    role: 'viewer',
    summary: 'List maintenance windows, latest first',
    query: s.incidentQuery,
    paged: true,
    handler: ({ actor, query }) =>
      incidents.listIncidents(
        ctx,
        actor,
        { kind: 'maintenance', open: OPEN[query.state], titleContains: query.q },
        pageRequest(query.page, query.per_page),
      ),
  });
  routes.add({
    method: 'post',
    path: '/maintenance',
    tag: 'Maintenance',
    role: 'editor',
    summary: 'Schedule maintenance',
    body: s.maintenanceCreate,
    status: 201,
    handler: ({ actor, body }) => maintenance.scheduleMaintenance(ctx, actor, body),
  });
  routes.add({
    method: 'get',
    path: '/maintenance/:id',
    tag: 'Maintenance',
    role: 'viewer',
    summary: 'Get a maintenance window with its updates',
    handler: ({ actor, param }) => incidents.getIncident(ctx, actor, param('id'), 'maintenance'),
  });
  routes.add({
    method: 'patch',
    path: '/maintenance/:id',
    tag: 'Maintenance',
    role: 'editor',
    summary: 'Change the window, name or components',
    body: s.maintenancePatch,
    handler: ({ actor, body, param }) => maintenance.editMaintenance(ctx, actor, param('id'), body),
  });
  routes.add({
    method: 'delete',
    path: '/maintenance/:id',
    tag: 'Maintenance',
    role: 'editor',
    summary: 'Delete a maintenance window',
    status: 204,
    handler: ({ actor, param }) => incidents.deleteIncident(ctx, actor, param('id'), 'maintenance'),
  });
  for (const [step, status] of Object.entries(STEPS)) {
    routes.add({
      method: 'post',
      path: `/maintenance/:id/${step}`,
      tag: 'Maintenance',
      role: 'editor',
      summary: `Mark maintenance ${status.replace('_', ' ')}`,
      body: s.maintenanceStep,
      handler: ({ actor, body, param }) => maintenance.setMaintenanceStatus(ctx, actor, param('id'), status, body),
    });
  }
  routes.add({
    method: 'post',
    path: '/maintenance/:id/cancel',
    tag: 'Maintenance',
    role: 'editor',
    summary: 'Cancel maintenance that has not started',
    body: s.maintenanceStep,
    handler: ({ actor, body, param }) => maintenance.cancelMaintenance(ctx, actor, param('id'), body),
  });
}
