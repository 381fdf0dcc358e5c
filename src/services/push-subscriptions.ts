import { timingSafeEqual } from 'node:crypto';
import { incidentIdByCode } from '../db/incidents-repo.ts';
import * as repo from '../db/subscriptions-repo.ts';
import { PUSH_LOOKUP_PER_ADDRESS, PUSH_PER_ADDRESS, PUSH_PER_ENDPOINT } from '../domain/rate-limit.ts';
import type { ServiceContext } from './context.ts';
import { iso, write } from './context.ts';
import { Forbidden, Invalid, NotFound } from './errors.ts';
import { enforceLimits } from './rate-limits.ts';
import { readSettings } from './settings.ts';
import { subscriberLanguage } from '../i18n/reader-language.ts';
import { resolveScope, scopeColumns, storeChosenComponents, type SubscriptionScope } from './subscription-scope.ts';

export type PushSubscriptionInput = { endpoint: string; p256dh: string; auth: string };

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  return allowed.some((rule) => (rule.startsWith('*.') ? host.endsWith(rule.slice(1)) : host === rule));
}

function checkEndpoint(endpoint: string, allowedHosts: readonly string[]): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Invalid('The push endpoint is not a URL', [{ field: 'endpoint', message: 'not a URL' }]);
  }
  if (url.protocol !== 'https:')
    throw new Invalid('Push endpoints use https', [{ field: 'endpoint', message: 'must be https' }]);
  if (!hostAllowed(url.hostname, allowedHosts)) {
    throw new Invalid('This push service is not one Herald sends to', [
      { field: 'endpoint', message: `${url.hostname} is not a known browser push service` },
    ]);
  }
}

/**
 * A browser's permission prompt is its opt-in, so a push subscription is confirmed at once.
 * Subscribing again from the same browser updates the components and the language (`language`:
 * the code of the page it subscribed on; unknown or none is the page's default).
 */
export async function subscribePush(
  ctx: ServiceContext,
  allowedHosts: readonly string[],
  input: PushSubscriptionInput,
  choice: SubscriptionScope,
  client: string,
  language?: string,
): Promise<void> {
  const limited = 'Too many push subscription changes; try again later';
  await enforceLimits(
    ctx,
    [
      [PUSH_PER_ADDRESS, client],
      [PUSH_PER_ENDPOINT, input.endpoint],
    ],
    limited,
  );
  checkEndpoint(input.endpoint, allowedHosts);
  const stored = subscriberLanguage(language, await readSettings(ctx.db));
  await write(ctx, async (trx) => {
    const scope = await resolveScope(trx, choice);
    const at = iso(ctx.now());
    const id = await repo.upsertPushSubscriber(trx, {
      channel: 'push',
      email: null,
      push_endpoint: input.endpoint,
      push_p256dh: input.p256dh,
      push_auth: input.auth,
      ...scopeColumns(scope),
      target_url: null,
      signing_secret: null,
      ended_at: null,
      confirmed_at: at,
      confirm_token_hash: null,
      confirm_expires_at: null,
      confirm_sent_at: null,
      disabled_at: null,
      source: 'browser',
      language: stored,
      created_at: at,
      updated_at: at,
    });
    await storeChosenComponents(trx, id, scope);
  });
}

/** The browser proves it owns a subscription with its auth secret, which only it and we know. */
async function owned(ctx: ServiceContext, endpoint: string, auth: string, incidentCode?: string) {
  const incidentId = incidentCode ? ((await incidentIdByCode(ctx.db, incidentCode)) ?? '-') : null;
  const row = await repo.subscriberByPushEndpoint(ctx.db, endpoint, incidentId);
  if (!row?.push_auth) throw new NotFound('This browser is not subscribed');
  const a = Buffer.from(row.push_auth);
  const b = Buffer.from(auth);
  if (a.length !== b.length || !timingSafeEqual(a, b))
    throw new Forbidden('This subscription belongs to another browser');
  return row;
}

export async function pushSubscriptionOf(
  ctx: ServiceContext,
  endpoint: string,
  auth: string,
  client: string,
  incidentCode?: string,
): Promise<{ components: 'all' | string[] }> {
  await enforceLimits(ctx, [[PUSH_LOOKUP_PER_ADDRESS, client]], 'Too many requests from your address; try again later');
  const row = await owned(ctx, endpoint, auth, incidentCode);
  if (row.incident_id) return { components: 'all' };
  if (row.all_components) return { components: 'all' };
  return { components: await repo.chosenComponentIds(ctx.db, row.id) };
}

export async function unsubscribePush(
  ctx: ServiceContext,
  endpoint: string,
  auth: string,
  client: string,
  incidentCode?: string,
): Promise<void> {
  await enforceLimits(ctx, [[PUSH_PER_ADDRESS, client]], 'Too many push subscription changes; try again later');
  const row = await owned(ctx, endpoint, auth, incidentCode);
  await write(ctx, (trx) => repo.deleteSubscriber(trx, row.id));
}
