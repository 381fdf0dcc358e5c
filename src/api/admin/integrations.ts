import type { ServiceContext } from '../../services/context.ts';
import * as drafts from '../../services/drafts.ts';
import * as integrations from '../../services/integrations.ts';
import type { RouteTable } from '../routes.ts';
import * as s from '../../services/schemas.ts';

/** Monitoring integrations and their rules (owners), and the drafts their alerts open (editors decide). */
export function integrationRoutes(routes: RouteTable, ctx: ServiceContext): void {
  routes.add({
    method: 'get',
    path: '/integrations',
    tag: 'Integrations',
    role: 'viewer',
    summary: 'List alert integrations with their rules and recent deliveries',
    handler: ({ actor }) => integrations.listIntegrations(ctx, actor),
  });
  routes.add({
    method: 'post',
    path: '/integrations',
    tag: 'Integrations',
    role: 'owner',
    summary: 'Create an integration; the answer holds its receiving URL and secret, shown only this once',
    body: s.integrationCreate,
    status: 201,
    handler: ({ actor, body }) => integrations.createIntegration(ctx, actor, body),
  });
  routes.add({
    method: 'get',
    path: '/integrations/:id',
    tag: 'Integrations',
    role: 'viewer',
    summary: 'One integration with its rules and its last deliveries (what it received and what Herald did)',
    handler: ({ actor, param }) => integrations.getIntegration(ctx, actor, param('id')),
  });
  routes.add({
    method: 'post',
    path: '/integrations/:id/revoke',
    tag: 'Integrations',
    role: 'owner',
    summary: 'Revoke an integration: its URL stops working at once',
    handler: ({ actor, param }) => integrations.revokeIntegration(ctx, actor, param('id')),
  });
  routes.add({
    method: 'post',
    path: '/integrations/:id/rules',
    tag: 'Integrations',
    role: 'owner',
    summary: 'Add a rule (matched in order, first wins): matchers → components, status, impact, action',
    body: s.ruleInput,
    status: 201,
    handler: ({ actor, param, body }) => integrations.addRule(ctx, actor, param('id'), body),
  });
  routes.add({
    method: 'put',
    path: '/integrations/:id/rules/:rule',
    tag: 'Integrations',
    role: 'owner',
    summary: 'Replace a rule',
    body: s.ruleInput,
    handler: ({ actor, param, body }) => integrations.updateRule(ctx, actor, param('id'), param('rule'), body),
  });
  routes.add({
    method: 'delete',
    path: '/integrations/:id/rules/:rule',
    tag: 'Integrations',
    role: 'owner',
    summary: 'Delete a rule',
    handler: ({ actor, param }) => integrations.deleteRule(ctx, actor, param('id'), param('rule')),
  });

  routes.add({
    method: 'get',
    path: '/drafts',
    tag: 'Drafts',
    role: 'viewer',
    summary: 'Open drafts suggested from alerts, newest first, with the alerts behind them',
    handler: ({ actor }) => drafts.openDrafts(ctx, actor),
  });
  routes.add({
    method: 'get',
    path: '/drafts/:id',
    tag: 'Drafts',
    role: 'viewer',
    summary: 'One draft',
    handler: ({ actor, param }) => drafts.getDraft(ctx, actor, param('id')),
  });
  routes.add({
    method: 'post',
    path: '/drafts/:id/approve',
    tag: 'Drafts',
    role: 'editor',
    summary: 'Publish the draft (edited or as it is) as an incident in your name',
    body: s.draftDecision,
    status: 201,
    handler: ({ actor, param, body }) => drafts.approveDraft(ctx, actor, param('id'), body),
  });
  routes.add({
    method: 'post',
    path: '/drafts/:id/dismiss',
    tag: 'Drafts',
    role: 'editor',
    summary: 'Dismiss the draft, with a reason the audit log keeps',
    body: s.draftDismissal,
    handler: ({ actor, param, body }) => drafts.dismissDraft(ctx, actor, param('id'), body.reason),
  });
}
