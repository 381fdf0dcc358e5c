import type { Runtime } from '../../runtime.ts';
import { NotFound } from '../../services/errors.ts';
import { stakeholderMessagesOf } from '../../services/stakeholder-messages.ts';
import * as stakeholders from '../../services/stakeholders.ts';
import * as s from '../../services/schemas.ts';
import type { RouteTable } from '../routes.ts';

/** A path's id as a stakeholder id; anything else names none. */
function stakeholderId(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new NotFound(`Stakeholder ${raw} does not exist`);
  return Number(raw);
}

/** Internal stakeholders (owners manage them, everyone reads) and what each incident told them. */
export function stakeholderRoutes(routes: RouteTable, runtime: Runtime): void {
  const { ctx } = runtime;
  routes.add({
    method: 'get',
    path: '/stakeholders',
    tag: 'Stakeholders',
    role: 'viewer',
    summary: 'List internal stakeholders and the severities each hears about',
    handler: ({ actor }) => stakeholders.listStakeholders(ctx, actor),
  });
  routes.add({
    method: 'post',
    path: '/stakeholders',
    tag: 'Stakeholders',
    role: 'owner',
    summary: 'Add a stakeholder: an email address, or a Slack or Teams incoming-webhook URL, and its impacts',
    body: s.stakeholderCreate,
    status: 201,
    handler: ({ actor, body }) => stakeholders.createStakeholder(ctx, actor, body),
  });
  routes.add({
    method: 'patch',
    path: '/stakeholders/:id',
    tag: 'Stakeholders',
    role: 'owner',
    summary: 'Change a stakeholder’s name, address or impacts',
    body: s.stakeholderPatch,
    handler: ({ actor, param, body }) => stakeholders.updateStakeholder(ctx, actor, stakeholderId(param('id')), body),
  });
  routes.add({
    method: 'delete',
    path: '/stakeholders/:id',
    tag: 'Stakeholders',
    role: 'owner',
    summary: 'Remove a stakeholder',
    status: 204,
    handler: ({ actor, param }) => stakeholders.removeStakeholder(ctx, actor, stakeholderId(param('id'))),
  });
  routes.add({
    method: 'post',
    path: '/stakeholders/:id/test',
    tag: 'Stakeholders',
    role: 'owner',
    summary: 'Send a stakeholder a test message now; answers whether it went',
    handler: ({ actor, param }) =>
      stakeholders.testStakeholder(ctx, actor, stakeholderId(param('id')), runtime.stakeholderSender),
  });
  routes.add({
    method: 'get',
    path: '/incidents/:id/stakeholder-messages',
    tag: 'Stakeholders',
    role: 'viewer',
    summary:
      'Who among the stakeholders was told what about an incident, when: sent, pending or failed with its reason',
    handler: ({ actor, param }) => stakeholderMessagesOf(ctx, actor, param('id')),
  });
}
