import type { ServiceContext } from '../../services/context.ts';
import * as incidents from '../../services/incidents.ts';
import { pageRequest } from '../../services/paging.ts';
import * as postmortems from '../../services/postmortems.ts';
import { submitUpdate } from '../../services/update-approval.ts';
import type { RouteTable } from '../routes.ts';
import * as s from '../../services/schemas.ts';

const OPEN = { open: true, closed: false, all: undefined } as const;

export function incidentRoutes(routes: RouteTable, ctx: ServiceContext): void {
  routes.add({
    method: 'get',
    path: '/incidents',
    tag: 'Incidents',
    role: 'viewer',
    summary: 'List incidents, newest first',
    query: s.incidentQuery,
    paged: true,
    handler: ({ actor, query }) =>
      incidents.listIncidents(
        ctx,
        actor,
        { kind: 'incident', open: OPEN[query.state], titleContains: query.q },
        pageRequest(query.page, query.per_page),
      ),
  });
  routes.add({
    method: 'post',
    path: '/incidents',
    tag: 'Incidents',
    role: 'editor',
    summary: 'Open an incident with its first update',
    body: s.incidentCreate,
    status: 201,
    handler: ({ actor, body }) => incidents.createIncident(ctx, actor, body),
  });
  routes.add({
    method: 'get',
    path: '/incidents/:id',
    tag: 'Incidents',
    role: 'viewer',
    summary: 'Get an incident with its updates',
    handler: ({ actor, param }) => incidents.getIncident(ctx, actor, param('id')),
  });
  routes.add({
    method: 'patch',
    path: '/incidents/:id',
    tag: 'Incidents',
    role: 'editor',
    summary: 'Rename an incident or change its impact',
    body: s.incidentPatch,
    handler: ({ actor, body, param }) => incidents.renameIncident(ctx, actor, param('id'), body),
  });
  routes.add({
    method: 'delete',
    path: '/incidents/:id',
    tag: 'Incidents',
    role: 'editor',
    summary: 'Delete an incident',
    status: 204,
    handler: ({ actor, param }) => incidents.deleteIncident(ctx, actor, param('id'), 'incident'),
  });
  routes.add({
    method: 'post',
    path: '/incidents/:id/updates',
    tag: 'Incidents',
    role: 'editor',
    summary: 'Post an update (incidents and maintenance)',
    body: s.updateCreate,
    status: 201,
    // Where the page asks for approval at this impact, the update waits: 202 with what waits.
    handler: async ({ actor, body, param, c }) => {
      const submitted = await submitUpdate(ctx, actor, param('id'), body);
      return submitted.outcome === 'posted' ? submitted.incident : c.json(submitted.pending_update, 202);
    },
  });
  routes.add({
    method: 'patch',
    path: '/incidents/:id/updates/:updateId',
    tag: 'Incidents',
    role: 'editor',
    summary: "Correct a posted update's text",
    body: s.updateCorrect,
    handler: ({ actor, body, param }) => incidents.correctUpdate(ctx, actor, param('id'), param('updateId'), body.body),
  });
  routes.add({
    method: 'post',
    path: '/incidents/:id/resolve',
    tag: 'Incidents',
    role: 'editor',
    summary: 'Resolve an incident',
    body: s.resolveBody,
    handler: async ({ actor, body, param, c }) => {
      const submitted = await submitUpdate(ctx, actor, param('id'), {
        status: 'resolved',
        body: body.body ?? 'This incident has been resolved.',
        notify: body.notify,
      });
      return submitted.outcome === 'posted' ? submitted.incident : c.json(submitted.pending_update, 202);
    },
  });
  routes.add({
    method: 'put',
    path: '/incidents/:id/postmortem',
    tag: 'Postmortems',
    role: 'editor',
    summary: 'Save the postmortem draft',
    body: s.postmortemSave,
    handler: ({ actor, body, param }) => postmortems.savePostmortem(ctx, actor, param('id'), body.body),
  });
  routes.add({
    method: 'post',
    path: '/incidents/:id/postmortem/publish',
    tag: 'Postmortems',
    role: 'editor',
    summary: 'Publish the postmortem',
    body: s.postmortemPublish,
    handler: ({ actor, body, param }) => postmortems.publishPostmortem(ctx, actor, param('id'), body),
  });
}
