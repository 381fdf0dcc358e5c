import { Hono } from 'hono';
import type { Runtime } from '../runtime.ts';
import { checkReadiness } from '../services/readiness.ts';

const NO_STORE = { 'cache-control': 'no-store' };

/**
 * Probes for load balancers and container runtimes: /healthz says the process answers (it
 * touches nothing else, so a busy database never restarts a healthy process); /readyz says
 * whether this instance should get traffic.
 */
export function healthRoutes(runtime: Runtime): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }, 200, NO_STORE));
  app.get('/readyz', async (c) => {
    if (runtime.stopping) return c.json({ ready: false, reason: 'shutting down' }, 503, NO_STORE);
    const readiness = await checkReadiness(runtime.ctx, runtime.notifier.health, runtime.config.readyMaxOutboxLagMs);
    return c.json(readiness, readiness.ready ? 200 : 503, NO_STORE);
  });
  return app;
}
