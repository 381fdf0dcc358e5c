import { Hono, type MiddlewareHandler } from 'hono';
import { answerError } from '../http/error-page.ts';
import { DEFAULT_BODY_LIMIT, limitRequestBodies } from '../http/request-body.ts';
import type { Runtime } from '../runtime.ts';
import { siteCacheMiddleware } from '../publishing/cache-middleware.ts';
import { securityHeaders } from '../http/security-headers.ts';
import { componentRoutes } from './admin/components.ts';
import { incidentRoutes } from './admin/incidents.ts';
import { incidentTeamRoutes } from './admin/incident-team.ts';
import { integrationRoutes } from './admin/integrations.ts';
import { reviewRoutes } from './admin/reviews.ts';
import { maintenanceRoutes } from './admin/maintenance.ts';
import { pageRoutes } from './admin/page.ts';
import { sessionRoutes } from './admin/session.ts';
import { subscriberRoutes } from './admin/subscribers.ts';
import { stakeholderRoutes } from './admin/stakeholders.ts';
import { teamRoutes } from './admin/team.ts';
import { authenticate } from './authenticate.ts';
import { idempotency } from './idempotency.ts';
import { openApiDocument } from './openapi.ts';
import { metricsRoutes } from './metrics.ts';
import { feedRoutes } from './public/feeds.ts';
import { healthRoutes } from './health.ts';
import { publicPushRoutes } from './public/push.ts';
import { publicSubscriptionRoutes } from './public/subscriptions.ts';
import { statuspageV2Routes } from './statuspage-v2/index.ts';
import { onApiError, problemResponse } from './problem.ts';
import { integrationReceiverRoutes } from './integrations/alerts.ts';
import { slackCommandRoutes } from './integrations/slack.ts';
import { type Env, RouteTable } from './routes.ts';

/** Only a subscriber import may be large; every other body, API or form, is small. */
const BODY_LIMITS = {
  default: DEFAULT_BODY_LIMIT,
  rules: [
    { path: /^\/api\/admin\/subscribers\/import$/, limit: 6 * 1024 * 1024 },
    // Alertmanager sends a whole group at once: a storm of a thousand alerts is some hundreds of KB.
    { path: /^\/api\/integrations\//, limit: 2 * 1024 * 1024 },
  ],
};

/** The admin API as a Hono app of its own, so tests can drive it without Astro. */
export function createAdminApi(runtime: Runtime): Hono<Env> {
  const { ctx, lucia, config } = runtime;
  const api = new Hono<Env>();
  api.onError(onApiError);
  api.use(async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
  });
  api.use(authenticate(ctx, lucia, [config.baseUrl.origin]));
  api.use(idempotency(ctx));

  const routes = new RouteTable(api, '');
  sessionRoutes(routes, ctx, lucia, config.trustProxy);
  componentRoutes(routes, ctx);
  incidentRoutes(routes, ctx);
  incidentTeamRoutes(routes, ctx);
  maintenanceRoutes(routes, ctx);
  teamRoutes(routes, runtime);
  pageRoutes(routes, ctx);
  subscriberRoutes(routes, ctx);
  integrationRoutes(routes, ctx);
  reviewRoutes(routes, ctx);
  stakeholderRoutes(routes, runtime);

  const document = openApiDocument(routes, config.baseUrl.href);
  api.get('/openapi.json', (c) => c.json(document));
  api.notFound((c) =>
    problemResponse(
      404,
      `No admin API route ${c.req.method} ${new URL(c.req.url).pathname}; see /api/admin/openapi.json`,
    ),
  );
  return api;
}

/** Sets the security headers of src/http/security-headers.ts on every answer that lacks them. */
const withSecurityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(securityHeaders(new URL(c.req.url).pathname))) {
    if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  }
};

/**
 * The HTTP app without Astro: security headers, the public site cache, and every API. src/fetch.ts
 * adds Astro's pages behind it; tests use it as it is.
 */
export function createApi(runtime: Runtime): Hono {
  const app = new Hono();
  app.onError(answerError);
  app.use(withSecurityHeaders);
  app.use(limitRequestBodies(BODY_LIMITS));
  app.use(siteCacheMiddleware(runtime.siteCache, runtime.db, runtime.siteCache.renderSecret));
  app.route('/api/admin', createAdminApi(runtime));
  app.route('/api/v2', statuspageV2Routes(runtime));
  app.route('/api/public', publicSubscriptionRoutes(runtime));
  app.route('/api/public', publicPushRoutes(runtime, runtime.vapid.publicKey));
  app.route('/api', slackCommandRoutes(runtime));
  app.route('/api', integrationReceiverRoutes(runtime));
  app.route('/', healthRoutes(runtime));
  app.route('/', metricsRoutes(runtime));
  app.route('/', feedRoutes(runtime));
  app.all('/api/*', (c) => problemResponse(404, `No API route ${c.req.method} ${new URL(c.req.url).pathname}`));
  runtime.siteCache.setRenderer((request) => Promise.resolve(app.fetch(request)));
  return app;
}
