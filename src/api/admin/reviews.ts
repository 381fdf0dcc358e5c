import * as actionItems from '../../services/action-items.ts';
import type { ServiceContext } from '../../services/context.ts';
import { pageRequest } from '../../services/paging.ts';
import * as reviews from '../../services/reviews.ts';
import * as s from '../../services/schemas.ts';
import type { RouteTable } from '../routes.ts';

type Filter = { state?: actionItems.ActionItemQuery['state']; overdue?: boolean; incident_id?: string };

const queryOf = (q: Filter): actionItems.ActionItemQuery => ({
  ...(q.state ? { state: q.state } : {}),
  ...(q.overdue !== undefined ? { overdue: q.overdue } : {}),
  ...(q.incident_id ? { incidentId: q.incident_id } : {}),
});

/** The post-incident review: its date, and the action items it leaves behind (team-only). */
export function reviewRoutes(routes: RouteTable, ctx: ServiceContext): void {
  routes.add({
    method: 'get',
    path: '/reviews',
    tag: 'Reviews',
    role: 'viewer',
    summary: 'Reviews with a date whose postmortem is not published yet, soonest first, overdue flagged',
    handler: ({ actor }) => reviews.reviewsDue(ctx, actor),
  });
  routes.add({
    method: 'put',
    path: '/incidents/:id/review',
    tag: 'Reviews',
    role: 'editor',
    summary: 'Set (YYYY-MM-DD) or clear (null) the date of the post-incident review',
    body: s.reviewSchedule,
    handler: ({ actor, body, param }) => reviews.scheduleReview(ctx, actor, param('id'), body.due_on),
  });
  routes.add({
    method: 'get',
    path: '/incidents/:id/action-items',
    tag: 'Reviews',
    role: 'viewer',
    summary: "An incident's action items, soonest due first",
    handler: ({ actor, param }) => actionItems.actionItemsOf(ctx, actor, param('id')),
  });
  routes.add({
    method: 'post',
    path: '/incidents/:id/action-items',
    tag: 'Reviews',
    role: 'editor',
    summary: 'Add an action item (owner: a team member by owner_id, or anyone by owner_label); it starts open',
    body: s.actionItemCreate,
    status: 201,
    handler: ({ actor, body, param }) => actionItems.createActionItem(ctx, actor, param('id'), body),
  });
  routes.add({
    method: 'get',
    path: '/action-items',
    tag: 'Reviews',
    role: 'viewer',
    summary: 'Action items across incidents, soonest due first; filter by state, overdue or incident',
    query: s.actionItemQuery,
    paged: true,
    handler: ({ actor, query }) =>
      actionItems.listActionItems(ctx, actor, queryOf(query), pageRequest(query.page, query.per_page)),
  });
  routes.add({
    method: 'get',
    path: '/action-items.csv',
    tag: 'Reviews',
    role: 'viewer',
    summary: `The same list as CSV (RFC 4180, header row, formulas neutralised; at most ${actionItems.MAX_EXPORTED_ACTION_ITEMS} rows)`,
    query: s.actionItemFilter,
    handler: async ({ actor, query, c }) =>
      c.body(await actionItems.exportActionItemsCsv(ctx, actor, queryOf(query)), 200, {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': 'attachment; filename="action-items.csv"',
      }),
  });
  routes.add({
    method: 'patch',
    path: '/action-items/:itemId',
    tag: 'Reviews',
    role: 'editor',
    summary: "Change an action item's description, owner, due date, priority or state (open, in_progress, done)",
    body: s.actionItemPatch,
    handler: ({ actor, body, param }) => actionItems.updateActionItem(ctx, actor, param('itemId'), body),
  });
  routes.add({
    method: 'delete',
    path: '/action-items/:itemId',
    tag: 'Reviews',
    role: 'editor',
    summary: 'Delete an action item',
    status: 204,
    handler: ({ actor, param }) => actionItems.deleteActionItem(ctx, actor, param('itemId')),
  });
}
