import { Hono } from 'hono';
import { scrape } from '../metrics/registry.ts';
import type { Runtime } from '../runtime.ts';
import { Unauthorized } from '../services/errors.ts';
import { readOperationalCounts } from '../services/operational-metrics.ts';
import { actorForToken } from '../services/tokens.ts';
import { onApiError } from './problem.ts';

/** Prometheus text at /metrics, for any API token: process, event loop, sends, deliveries, cache. */
export function metricsRoutes(runtime: Runtime): Hono {
  const app = new Hono();
  app.onError(onApiError);
  app.get('/metrics', async (c) => {
    const secret = runtime.lucia.readBearerToken(c.req.header('authorization') ?? '');
    const actor = secret ? await actorForToken(runtime.ctx, secret) : null;
    if (!actor) throw new Unauthorized('Send an API token: Authorization: Bearer …');
    const counts = await readOperationalCounts(runtime.ctx, actor);
    const { body, contentType } = await scrape({
      counts,
      siteCacheEntries: runtime.siteCache.size,
      siteRenders: runtime.siteCache.renders,
    });
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });
  return app;
}
