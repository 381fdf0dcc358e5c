import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Runtime } from '../../runtime.ts';
import { maintenanceIn, recentIncidents, unresolvedIncidents } from '../../services/public-incidents.ts';
import { getPublicStatus } from '../../services/public-status.ts';
import { type CacheTag, setCacheTags } from '../../publishing/cache-tags.ts';
import { problemResponse } from '../problem.ts';
import { type PageContext, v2Components, v2Incident, v2Page, v2Status } from './documents.ts';
import { publicBase } from '../../domain/public-link.ts';

const RECENT = 50;

/** Statuspage public API v2 documents under /api/v2, same paths, fields and nesting. */
export function statuspageV2Routes(runtime: Runtime): Hono {
  const app = new Hono();
  app.use(cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));

  async function context() {
    const status = await getPublicStatus(runtime.ctx);
    // The read model has the visible components already; groups without any are not listed.
    const components = [...status.groups.flatMap((g) => g.components), ...status.ungrouped];
    const groups = status.groups;
    const base = publicBase(status.settings.base_url, runtime.config.baseUrl.href);
    const page = v2Page(status.settings, base, status.lastChange);
    const ctx: PageContext = { page, base, components: new Map(components.map((c) => [c.id, c])) };
    return { status, components, groups, page, ctx };
  }

  const json = (body: unknown, tags: CacheTag[]) => {
    const headers = new Headers({ 'content-type': 'application/json; charset=utf-8' });
    setCacheTags(headers, tags);
    return new Response(JSON.stringify(body), { headers });
  };

  app.get('/summary.json', async () => {
    const { status, components, groups, page, ctx } = await context();
    return json(
      {
        page,
        components: v2Components(groups, components, page.id),
        incidents: status.activeIncidents.length
          ? (await unresolvedIncidents(runtime.ctx)).map((i) => v2Incident(i, ctx))
          : [],
        scheduled_maintenances: [
          ...(await maintenanceIn(runtime.ctx, 'active')),
          ...(await maintenanceIn(runtime.ctx, 'upcoming')),
        ].map((i) => v2Incident(i, ctx)),
        status: v2Status(status.status),
      },
      ['status'],
    );
  });
  app.get('/status.json', async () => {
    const { status, page } = await context();
    return json({ page, status: v2Status(status.status) }, ['status']);
  });
  app.get('/components.json', async () => {
    const { components, groups, page } = await context();
    return json({ page, components: v2Components(groups, components, page.id) }, ['status']);
  });
  app.get('/incidents.json', async () => {
    const { page, ctx } = await context();
    return json(
      {
        page,
        incidents: (await recentIncidents(runtime.ctx, { kind: 'incident', limit: RECENT })).map((i) =>
          v2Incident(i, ctx),
        ),
      },
      ['status', 'history'],
    );
  });
  app.get('/incidents/unresolved.json', async () => {
    const { page, ctx } = await context();
    return json({ page, incidents: (await unresolvedIncidents(runtime.ctx)).map((i) => v2Incident(i, ctx)) }, [
      'status',
    ]);
  });
  app.get('/scheduled-maintenances.json', async () => {
    const { page, ctx } = await context();
    const list = await recentIncidents(runtime.ctx, { kind: 'maintenance', limit: RECENT });
    return json({ page, scheduled_maintenances: list.map((i) => v2Incident(i, ctx)) }, ['status', 'history']);
  });
  for (const phase of ['upcoming', 'active'] as const) {
    app.get(`/scheduled-maintenances/${phase}.json`, async () => {
      const { page, ctx } = await context();
      return json(
        { page, scheduled_maintenances: (await maintenanceIn(runtime.ctx, phase)).map((i) => v2Incident(i, ctx)) },
        ['status'],
      );
    });
  }
  app.all('*', (c) =>
    problemResponse(404, `No Statuspage v2 document at ${new URL(c.req.url).pathname}; see /api/v2/summary.json`),
  );
  return app;
}
