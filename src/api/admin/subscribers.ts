import { z } from 'zod';
import { authorize } from '../../services/authorize.ts';
import type { ServiceContext } from '../../services/context.ts';
import { pageRequest } from '../../services/paging.ts';
import * as admin from '../../services/subscriber-admin.ts';
import type { RouteTable } from '../routes.ts';
import * as s from '../../services/schemas.ts';
import { SUBSCRIBER_CHANNELS } from '../../domain/channels.ts';

const subscriberQuery = s.pageQuery.extend({
  search: z.string().max(200).optional(),
  channel: z.enum(SUBSCRIBER_CHANNELS).optional(),
  incident_id: z.string().max(64).optional(),
});
const patchBody = z.strictObject({ disabled: z.boolean() });
const importBody = z.strictObject({
  csv: z
    .string()
    .min(1, 'must not be empty')
    .max(5 * 1024 * 1024),
});

export function subscriberRoutes(routes: RouteTable, ctx: ServiceContext): void {
  routes.add({
    method: 'get',
    path: '/subscribers',
    tag: 'Subscribers',
    role: 'editor',
    summary:
      'List subscribers of every channel, newest first; search by email or address, filter by channel or incident',
    query: subscriberQuery,
    paged: true,
    handler: ({ actor, query }) =>
      admin.listSubscribers(
        ctx,
        actor,
        {
          ...(query.search ? { search: query.search } : {}),
          ...(query.channel ? { channel: query.channel } : {}),
          ...(query.incident_id ? { incidentId: query.incident_id } : {}),
        },
        pageRequest(query.page, query.per_page),
      ),
  });
  routes.add({
    method: 'get',
    path: '/subscribers/counts',
    tag: 'Subscribers',
    role: 'viewer',
    summary: 'How many subscribers, by channel and standing',
    handler: ({ actor }) => {
      authorize(actor, 'read');
      return admin.subscriberCounts(ctx);
    },
  });
  routes.add({
    method: 'get',
    path: '/subscribers/export.csv',
    tag: 'Subscribers',
    role: 'editor',
    summary: 'Email subscribers as CSV',
    handler: async ({ actor, c }) =>
      c.body(await admin.exportSubscribersCsv(ctx, actor), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="subscribers.csv"',
      }),
  });
  routes.add({
    method: 'post',
    path: '/subscribers/import',
    tag: 'Subscribers',
    role: 'editor',
    summary: 'Import confirmed email subscribers from CSV (email[,components])',
    body: importBody,
    handler: ({ actor, body }) => admin.importSubscribersCsv(ctx, actor, body.csv),
  });
  routes.add({
    method: 'delete',
    path: '/subscribers/:id',
    tag: 'Subscribers',
    role: 'editor',
    summary: 'Remove a subscriber',
    status: 204,
    handler: ({ actor, param }) => admin.removeSubscriber(ctx, actor, Number(param('id'))),
  });
  routes.add({
    method: 'patch',
    path: '/subscribers/:id',
    tag: 'Subscribers',
    role: 'editor',
    summary: 'Disable a subscriber (nothing is sent to it) or enable it again',
    body: patchBody,
    handler: ({ actor, param, body }) => admin.setSubscriberDisabled(ctx, actor, Number(param('id')), body.disabled),
  });
  routes.add({
    method: 'post',
    path: '/subscribers/:id/test',
    tag: 'Subscribers',
    role: 'editor',
    summary: 'Send a webhook, Slack or Teams subscriber a test message; answers whether its endpoint took it',
    handler: ({ actor, param }) => admin.testSubscriber(ctx, actor, Number(param('id'))),
  });
  routes.add({
    method: 'get',
    path: '/incidents/:id/deliveries',
    tag: 'Subscribers',
    role: 'viewer',
    summary: 'Delivery figures (sent, pending, failed) for each notifying update',
    handler: ({ actor, param }) => admin.deliveryFigures(ctx, actor, param('id')),
  });
  routes.add({
    method: 'get',
    path: '/incidents/:id/deliveries/failed',
    tag: 'Subscribers',
    role: 'editor',
    summary: `Who did not get each update and why (at most ${admin.MAX_FAILED_LISTED})`,
    handler: ({ actor, param }) => admin.failedDeliveries(ctx, actor, param('id')),
  });
}
