import { Hono } from 'hono';
import { z } from 'zod';
import { clientAddress } from '../../http/client-address.ts';
import type { Runtime } from '../../runtime.ts';
import { requestEmailSubscription } from '../../services/subscribers.ts';
import { onApiError } from '../problem.ts';
import { parseWith, readJson } from '../routes.ts';

const subscribeBody = z.strictObject({
  email: z.email({ error: 'must be an email address' }).max(320),
  components: z.union([z.literal('all'), z.array(z.string()).min(1).max(500)]).default('all'),
});

/** Public JSON API: subscribing by email (the status page's form posts to /subscribe instead). */
export function publicSubscriptionRoutes(runtime: Runtime): Hono {
  const app = new Hono();
  app.onError(onApiError);
  app.post('/subscriptions', async (c) => {
    const body = parseWith(subscribeBody, await readJson(c), 'request body');
    await requestEmailSubscription(runtime.ctx, {
      email: body.email,
      choice: body.components === 'all' ? { all: true } : { all: false, componentIds: body.components },
      client: clientAddress(c.req.raw, runtime.config.trustProxy),
    });
    // The same answer whether the address was new, pending or already subscribed.
    return c.json(
      { message: 'If this address can be subscribed, a confirmation mail is on its way. Check your inbox.' },
      202,
    );
  });
  return app;
}
