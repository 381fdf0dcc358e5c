import { Hono } from 'hono';
import type { Runtime } from '../runtime.ts';
import { Unauthorized } from '../services/errors.ts';
import { actorForToken } from '../services/tokens.ts';
import { onApiError } from './problem.ts';

/** Prometheus text format at /metrics, for any API token: delivery states, subscribers, cache. */
export function metricsRoutes(runtime: Runtime): Hono {
  const app = new Hono();
  app.onError(onApiError);
  app.get('/metrics', async (c) => {
    const secret = runtime.lucia.readBearerToken(c.req.header('authorization') ?? '');
    if (!secret || !(await actorForToken(runtime.ctx, secret))) throw new Unauthorized('Send an API token: Authorization: Bearer …');
    const db = runtime.db;
    const deliveries = await db.selectFrom('deliveries').select(['channel', 'state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['channel', 'state']).execute();
    const subscribers = await db
      .selectFrom('subscribers')
      .select(['channel', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('confirmed_at').as('confirmed'), (eb) => eb.fn.count<number>('disabled_at').as('disabled')])
      .groupBy('channel')
      .execute();
    const pending = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('expanded_at', 'is', null).executeTakeFirstOrThrow();
    const lines = [
      '# HELP herald_deliveries Notification deliveries by channel and state.',
      '# TYPE herald_deliveries gauge',
      ...deliveries.map((d) => `herald_deliveries{channel="${d.channel}",state="${d.state}"} ${Number(d.n)}`),
      '# HELP herald_subscribers Subscribers by channel and standing.',
      '# TYPE herald_subscribers gauge',
      ...subscribers.flatMap((s) => [
        `herald_subscribers{channel="${s.channel}",standing="confirmed"} ${Number(s.confirmed) - Number(s.disabled)}`,
        `herald_subscribers{channel="${s.channel}",standing="unconfirmed"} ${Number(s.n) - Number(s.confirmed)}`,
        `herald_subscribers{channel="${s.channel}",standing="disabled"} ${Number(s.disabled)}`,
      ]),
      '# HELP herald_notifications_unexpanded Notifications not yet expanded into deliveries.',
      '# TYPE herald_notifications_unexpanded gauge',
      `herald_notifications_unexpanded ${Number(pending.n)}`,
      '# HELP herald_site_cache_entries Public pages held rendered in memory.',
      '# TYPE herald_site_cache_entries gauge',
      `herald_site_cache_entries ${runtime.siteCache.size}`,
      '# HELP herald_site_renders_total Public page renders since start.',
      '# TYPE herald_site_renders_total counter',
      `herald_site_renders_total ${runtime.siteCache.renders}`,
    ];
    return c.body(`${lines.join('\n')}\n`, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
  });
  return app;
}
