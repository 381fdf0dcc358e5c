import { Hono } from 'hono';
import { z } from 'zod';
import { clientAddress } from '../../http/client-address.ts';
import type { Runtime } from '../../runtime.ts';
import {
  confirmChannelCode,
  requestChannelSubscription,
  subscribeWebhook,
} from '../../services/channel-subscriptions.ts';
import { requestEmailSubscription } from '../../services/subscribers.ts';
import type { SubscriptionScope } from '../../services/subscription-scope.ts';
import { onApiError } from '../problem.ts';
import { parseWith, readJson } from '../routes.ts';

const scopeFields = {
  components: z.union([z.literal('all'), z.array(z.string()).min(1).max(500)]).default('all'),
  /** An incident's code: follow that incident alone, until it is over. */
  incident: z.string().min(1).max(64).optional(),
  /** The language of what the subscription receives (a code such as "de"); unknown is the page's default. */
  language: z.string().max(35).optional(),
};
const subscribeBody = z.discriminatedUnion('channel', [
  z.strictObject({
    channel: z.literal('email').default('email'),
    email: z.email({ error: 'must be an email address' }).max(320),
    ...scopeFields,
  }),
  z.strictObject({ channel: z.literal('webhook'), url: z.string().max(2000), ...scopeFields }),
  z.strictObject({ channel: z.enum(['slack', 'teams']), url: z.string().max(2000), ...scopeFields }),
]);
const confirmBody = z.strictObject({ pending: z.string().max(200), code: z.string().max(20) });

function scopeOf(body: { components: 'all' | string[]; incident?: string | undefined }): SubscriptionScope {
  if (body.incident) return { incidentCode: body.incident };
  return body.components === 'all' ? { all: true } : { all: false, componentIds: body.components };
}

const ALREADY = 'This address already receives these updates: a test message carrying its manage link was sent to it.';

/** Public JSON API: subscribing by email, webhook, Slack or Teams (the page's form posts to /subscribe). */
export function publicSubscriptionRoutes(runtime: Runtime): Hono {
  const app = new Hono();
  app.onError(onApiError);
  const rules = runtime.config.outbound;
  app.post('/subscriptions', async (c) => {
    const raw = await readJson(c);
    // A body without a channel is an email subscription, as before channels existed.
    const withChannel = raw && typeof raw === 'object' && !('channel' in raw) ? { ...raw, channel: 'email' } : raw;
    const body = parseWith(subscribeBody, withChannel, 'request body');
    const client = clientAddress(c.req.raw, runtime.config.trustProxy);
    if (body.channel === 'email') {
      await requestEmailSubscription(runtime.ctx, {
        email: body.email,
        scope: scopeOf(body),
        client,
        language: body.language,
      });
      // The same answer whether the address was new, pending or already subscribed.
      return c.json(
        { message: 'If this address can be subscribed, a confirmation mail is on its way. Check your inbox.' },
        202,
      );
    }
    if (body.channel === 'webhook') {
      const done = await subscribeWebhook(runtime.ctx, {
        url: body.url,
        scope: scopeOf(body),
        client,
        rules,
        language: body.language,
      });
      if (done.kind === 'already') return c.json({ message: ALREADY }, 200);
      return c.json(
        {
          message:
            'Subscribed: your endpoint answered the signed test delivery. Keep the secret: it is not shown again.',
          secret: done.secret,
          manage_url: done.manageUrl,
        },
        201,
      );
    }
    const pending = await requestChannelSubscription(runtime.ctx, {
      channel: body.channel,
      url: body.url,
      scope: scopeOf(body),
      client,
      rules,
      language: body.language,
    });
    if (pending.kind === 'already') return c.json({ message: ALREADY }, 200);
    return c.json(
      {
        message: 'A confirmation code was posted into the channel: send it to /api/public/subscriptions/confirm.',
        pending: pending.pendingToken,
      },
      202,
    );
  });
  app.post('/subscriptions/confirm', async (c) => {
    const body = parseWith(confirmBody, await readJson(c), 'request body');
    const client = clientAddress(c.req.raw, runtime.config.trustProxy);
    const done = await confirmChannelCode(runtime.ctx, { pendingToken: body.pending, code: body.code, client });
    return c.json({ message: 'Subscribed.', manage_url: done.manageUrl });
  });
  return app;
}
