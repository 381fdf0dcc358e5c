import { Hono } from 'hono';
import type { Runtime } from '../../runtime.ts';
import { receiveAlerts } from '../../services/alert-intake.ts';
import { INTEGRATION_KINDS, type IntegrationKind } from '../../domain/alerts.ts';
import { onApiError, problemResponse } from '../problem.ts';
import { readJson } from '../routes.ts';

/**
 * Where monitoring tools post alerts: `/api/integrations/<kind>/<id>/<secret>`, or without the
 * secret in the path and `Authorization: Bearer <secret>` for tools that can send a header.
 */
export function integrationReceiverRoutes(runtime: Runtime): Hono {
  const app = new Hono();
  app.onError(onApiError);
  const receive = async (kind: string, id: string, secret: string | undefined, request: Request, body: unknown) => {
    if (!(INTEGRATION_KINDS as readonly string[]).includes(kind))
      return problemResponse(404, `No integration kind ${kind}; use one of ${INTEGRATION_KINDS.join(', ')}`);
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const given = secret ?? bearer;
    if (!given) return problemResponse(401, 'Give the integration secret in the URL or as a bearer token');
    const outcome = await receiveAlerts(runtime.ctx, { kind: kind as IntegrationKind, id, secret: given, body });
    return Response.json(outcome, { status: 202 });
  };
  app.post('/integrations/:kind/:id/:secret', async (c) =>
    receive(c.req.param('kind'), c.req.param('id'), c.req.param('secret'), c.req.raw, await readJson(c)),
  );
  app.post('/integrations/:kind/:id', async (c) =>
    receive(c.req.param('kind'), c.req.param('id'), undefined, c.req.raw, await readJson(c)),
  );
  return app;
}
