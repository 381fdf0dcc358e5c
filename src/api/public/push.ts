import { Hono } from 'hono';
import { z } from 'zod';
import { clientAddress } from '../../http/client-address.ts';
import type { Runtime } from '../../runtime.ts';
import { pushSubscriptionOf, subscribePush, unsubscribePush } from '../../services/push-subscriptions.ts';
import { onApiError } from '../problem.ts';
import { parseWith, readJson } from '../routes.ts';

const key = (bytes: number, name: string) =>
  z
    .string()
    .regex(
      new RegExp(`^[\\w-]{${Math.ceil((bytes * 4) / 3)}}={0,2}$`),
      `must be the browser's ${name} key (URL-safe base64)`,
    );
const subscription = z.strictObject({
  endpoint: z.string().max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({ p256dh: key(65, 'p256dh'), auth: key(16, 'auth') }),
});
const components = z.union([z.literal('all'), z.array(z.string()).min(1).max(500)]).default('all');
/** An incident's code: the browser follows that incident alone, until it is over. */
const incident = z.string().min(1).max(64).optional();
/** The language of the page the browser subscribed on (a code such as "ja"); unknown is the page's default. */
const language = z.string().max(35).optional();
const subscribeBody = z.strictObject({ subscription, components, incident, language });
const ownBody = z.strictObject({ endpoint: z.string().max(2048), auth: key(16, 'auth'), incident });

/** Browser push subscriptions, managed from the browser that holds them (public/push.js). */
export function publicPushRoutes(runtime: Runtime, vapidPublicKey: string): Hono {
  const app = new Hono();
  app.onError(onApiError);
  const client = (request: Request) => clientAddress(request, runtime.config.trustProxy);
  app.get('/push/key', (c) => c.json({ publicKey: vapidPublicKey }));
  app.post('/push/subscriptions', async (c) => {
    const body = parseWith(subscribeBody, await readJson(c), 'request body');
    const { endpoint, keys } = body.subscription;
    await subscribePush(
      runtime.ctx,
      runtime.config.push.allowedHosts,
      { endpoint, p256dh: keys.p256dh.replace(/=+$/, ''), auth: keys.auth.replace(/=+$/, '') },
      body.incident
        ? { incidentCode: body.incident }
        : body.components === 'all'
          ? { all: true }
          : { all: false, componentIds: body.components },
      client(c.req.raw),
      body.language,
    );
    return c.json({ subscribed: true, components: body.components, incident: body.incident ?? null }, 201);
  });
  app.post('/push/subscriptions/lookup', async (c) => {
    const body = parseWith(ownBody, await readJson(c), 'request body');
    return c.json(
      await pushSubscriptionOf(
        runtime.ctx,
        body.endpoint,
        body.auth.replace(/=+$/, ''),
        client(c.req.raw),
        body.incident,
      ),
    );
  });
  app.post('/push/subscriptions/delete', async (c) => {
    const body = parseWith(ownBody, await readJson(c), 'request body');
    await unsubscribePush(runtime.ctx, body.endpoint, body.auth.replace(/=+$/, ''), client(c.req.raw), body.incident);
    return c.body(null, 204);
  });
  return app;
}
