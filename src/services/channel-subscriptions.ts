import { randomBytes, randomInt } from 'node:crypto';
import * as repo from '../db/subscriptions-repo.ts';
import type { Subscriber } from '../db/schema.ts';
import type { PostedChannel } from '../domain/channels.ts';
import { manageToken, parseManageToken } from '../domain/manage-link.ts';
import { publicBase } from '../domain/public-link.ts';
import { checkTargetUrl } from '../domain/outbound-url.ts';
import {
  CHANNEL_SUBSCRIBE_PER_ADDRESS,
  CODE_TRIES_PER_SUBSCRIPTION,
  CONFIRM_PER_ADDRESS,
} from '../domain/rate-limit.ts';
import { sha256 } from '../lib/ids.ts';
import { subscriberLanguage } from '../i18n/reader-language.ts';
import type { ChannelProbe, ProbeLinks } from './channel-probe.ts';
import { iso, type ServiceContext, write } from './context.ts';
import { Invalid, NotFound } from './errors.ts';
import { enforceLimits, forgetHits } from './rate-limits.ts';
import { readSettings } from './settings.ts';
import { resolveScope, scopeColumns, storeChosenComponents, type SubscriptionScope } from './subscription-scope.ts';

/** How long a code posted into a Slack or Teams channel can be typed back. */
export const CODE_TTL_MS = 60 * 60_000;

export type OutboundRules = { allowHttp: boolean; allowlist: readonly string[] };

/**
 * A new webhook subscription: its secret is shown once, here, and never again. `already`: the URL
 * was subscribed; its endpoint was sent a test carrying its manage link, the asker learns nothing.
 */
export type WebhookSubscribed =
  { kind: 'subscribed'; manageToken: string; manageUrl: string; secret: string } | { kind: 'already' };
/** A Slack or Teams subscription waits for the code posted into its channel (or already exists). */
export type CodeSent = { kind: 'code-sent'; pendingToken: string } | { kind: 'already' };

/** Standard Webhooks secrets: `whsec_` and base64 of 24 to 64 random bytes. */
function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Eight digits in two groups: easy to read in a channel and type back, 10^8 to guess in 5 tries. */
function newConfirmationCode(): string {
  const digits = String(randomInt(0, 100_000_000)).padStart(8, '0');
  return `${digits.slice(0, 4)}-${digits.slice(4)}`;
}

const normaliseCode = (code: string) => code.replace(/\D/g, '');

/** The URL as it will be posted to, once its text and its host's addresses passed the checks. */
async function checkedUrl(probe: ChannelProbe, raw: string, rules: OutboundRules): Promise<string> {
  const checked = checkTargetUrl(raw, rules);
  if (!checked.ok)
    throw new Invalid(`The address cannot be used: ${checked.reason}`, [{ field: 'url', message: checked.reason }]);
  const refused = await probe.check(checked.target.url.href);
  if (refused) throw new Invalid(`The address cannot be used: ${refused}`, [{ field: 'url', message: refused }]);
  return checked.target.url.href;
}

async function linksFor(ctx: ServiceContext, subscriber: { id: number; link_version: number }): Promise<ProbeLinks> {
  const settings = await readSettings(ctx.db);
  const base = publicBase(settings.base_url, ctx.baseUrl);
  const token = manageToken(settings.link_secret, subscriber);
  return { manage: `${base}/subscriptions/${token}`, unsubscribe: `${base}/subscriptions/${token}/unsubscribe` };
}

function probeOf(ctx: ServiceContext) {
  if (!ctx.probe) throw new Invalid('This page does not deliver to webhooks, Slack or Teams', []);
  return ctx.probe;
}

/** Counted against the client's limit, then the URL checked (text and addresses) before anything is stored. */
async function admitted(
  ctx: ServiceContext,
  input: { url: string; client: string; rules: OutboundRules },
): Promise<{ probe: ChannelProbe; url: string }> {
  const probe = probeOf(ctx);
  await enforceLimits(
    ctx,
    [[CHANNEL_SUBSCRIBE_PER_ADDRESS, input.client]],
    'Too many subscription requests from your address; try again later',
  );
  return { probe, url: await checkedUrl(probe, input.url, input.rules) };
}

/**
 * A webhook subscribes by answering a signed test delivery with 2xx; nothing is stored unless it
 * does. Subscribing the same URL again to the same scope gives it a new secret (and retires the
 * old manage links), which is how a lost secret is replaced.
 */
export async function subscribeWebhook(
  ctx: ServiceContext,
  input: { url: string; scope: SubscriptionScope; client: string; rules: OutboundRules; language?: string | undefined },
): Promise<WebhookSubscribed> {
  const { probe, url } = await admitted(ctx, input);
  const secret = newSigningSecret();
  const language = subscriberLanguage(input.language, await readSettings(ctx.db));
  // Stored first, unconfirmed, so the test delivery carries the links the subscription will have.
  const pending = await write(ctx, async (trx) => {
    const scope = await resolveScope(trx, input.scope);
    const at = iso(ctx.now());
    const current = await repo.subscriberByTarget(trx, 'webhook', url, scope.incidentId);
    if (current?.confirmed_at) return { type: 'existing' as const, existing: current };
    const fields = { ...scopeColumns(scope), signing_secret: secret, confirmed_at: null, language, updated_at: at };
    if (current) {
      await repo.updateSubscriber(trx, current.id, { ...fields, link_version: current.link_version + 1 });
      return { type: 'pending' as const, id: current.id, link_version: current.link_version + 1, scope };
    }
    const id = await repo.insertSubscriber(trx, { ...newRow('webhook', url, at), ...fields });
    return { type: 'pending' as const, id, link_version: 1, scope };
  });
  // Already subscribed: the endpoint (not whoever asked) is sent a signed test carrying its manage
  // link, so nobody takes over a subscription by knowing its URL. A lost secret is replaced there.
  if (pending.type === 'existing') {
    await sendTestDelivery(ctx, pending.existing);
    return { kind: 'already' };
  }
  const failure = await probe.post({ channel: 'webhook', url, secret }, { kind: 'test' }, await linksFor(ctx, pending));
  if (failure) {
    await write(ctx, (trx) => repo.deleteUnconfirmed(trx, pending.id));
    throw new Invalid(`The test delivery failed: ${failure}`, [{ field: 'url', message: failure }]);
  }
  await write(ctx, async (trx) => {
    const at = iso(ctx.now());
    await repo.updateSubscriber(trx, pending.id, {
      ...scopeColumns(pending.scope),
      signing_secret: secret,
      link_version: pending.link_version,
      confirmed_at: at,
      confirm_token_hash: null,
      confirm_expires_at: null,
      updated_at: at,
    });
    await storeChosenComponents(trx, pending.id, pending.scope);
  });
  const { link_secret } = await readSettings(ctx.db);
  return {
    kind: 'subscribed',
    manageToken: manageToken(link_secret, pending),
    manageUrl: (await linksFor(ctx, pending)).manage,
    secret,
  };
}

/**
 * A new signing secret for a webhook, from its manage link (a lost or leaked secret): it takes
 * effect only once the endpoint has answered a test signed with it, and is shown once.
 */
export async function rotateWebhookSecret(
  ctx: ServiceContext,
  input: { token: string; client: string },
): Promise<{ secret: string } | { failure: string }> {
  await enforceLimits(
    ctx,
    [[CHANNEL_SUBSCRIBE_PER_ADDRESS, input.client]],
    'Too many requests from your address; try again later',
  );
  const row = await subscriptionOfLink(ctx, input.token);
  if (row.channel !== 'webhook' || !row.target_url) throw new Invalid('Only a webhook has a signing secret', []);
  const secret = newSigningSecret();
  const failure = await probeOf(ctx).post(
    { channel: 'webhook', url: row.target_url, secret },
    { kind: 'test' },
    await linksFor(ctx, row),
  );
  if (failure) return { failure };
  await write(ctx, (trx) => repo.updateSubscriber(trx, row.id, { signing_secret: secret, updated_at: iso(ctx.now()) }));
  return { secret };
}

async function subscriptionOfLink(ctx: ServiceContext, token: string): Promise<Subscriber> {
  const { link_secret } = await readSettings(ctx.db);
  const parsed = parseManageToken(link_secret, token);
  const row = parsed ? await repo.subscriberById(ctx.db, parsed.id) : undefined;
  if (!parsed || !row || row.link_version !== parsed.version || !row.confirmed_at)
    throw new NotFound('This link is no longer valid.');
  return row;
}

function newRow(channel: PostedChannel, url: string, at: string) {
  return {
    channel,
    target_url: url,
    email: null,
    push_endpoint: null,
    push_p256dh: null,
    push_auth: null,
    ended_at: null,
    created_at: at,
  };
}

/**
 * A Slack or Teams channel subscribes by typing back a code Herald posts into it: whoever can
 * read the channel may subscribe it, and nobody else. The subscription waits, unconfirmed, until then.
 */
export async function requestChannelSubscription(
  ctx: ServiceContext,
  input: {
    channel: 'slack' | 'teams';
    url: string;
    scope: SubscriptionScope;
    client: string;
    rules: OutboundRules;
    language?: string | undefined;
  },
): Promise<CodeSent> {
  const { probe, url } = await admitted(ctx, input);
  const code = newConfirmationCode();
  const language = subscriberLanguage(input.language, await readSettings(ctx.db));
  const pending = await write(ctx, async (trx) => {
    const scope = await resolveScope(trx, input.scope);
    const at = iso(ctx.now());
    const current = await repo.subscriberByTarget(trx, input.channel, url, scope.incidentId);
    if (current?.confirmed_at) return { type: 'existing' as const, existing: current };
    const fields = {
      confirm_token_hash: sha256(normaliseCode(code)),
      confirm_expires_at: iso(new Date(ctx.now().getTime() + CODE_TTL_MS)),
      confirm_sent_at: at,
      ...scopeColumns(scope),
      confirmed_at: null,
      language,
      updated_at: at,
    };
    let row: { id: number; link_version: number };
    if (current) {
      // Never confirmed: a new code, and earlier pending tokens retired.
      row = { id: current.id, link_version: current.link_version + 1 };
      await repo.updateSubscriber(trx, current.id, { ...fields, link_version: row.link_version });
    } else {
      const id = await repo.insertSubscriber(trx, { ...newRow(input.channel, url, at), ...fields });
      row = { id, link_version: 1 };
    }
    await storeChosenComponents(trx, row.id, scope);
    return { type: 'pending' as const, ...row };
  });
  // Already subscribed: the channel (not whoever asked) is sent a test carrying its manage link.
  if (pending.type === 'existing') {
    await sendTestDelivery(ctx, pending.existing);
    return { kind: 'already' };
  }
  // A new code gets its own tries.
  await forgetHits(ctx, CODE_TRIES_PER_SUBSCRIPTION, String(pending.id));
  // The code is typed back on the subscribe page; the message links there.
  const settings = await readSettings(ctx.db);
  const subscribePage = `${publicBase(settings.base_url, ctx.baseUrl)}/subscribe?channel=${input.channel}`;
  const failure = await probe.post(
    { channel: input.channel, url, secret: null },
    { kind: 'code', code },
    { manage: subscribePage, unsubscribe: subscribePage },
  );
  if (failure) {
    await write(ctx, (trx) => repo.deleteUnconfirmed(trx, pending.id));
    throw new Invalid(`Herald could not post to the channel: ${failure}`, [{ field: 'url', message: failure }]);
  }
  return { kind: 'code-sent', pendingToken: manageToken(settings.link_secret, pending) };
}

/** The code typed back: the subscription starts (or its new scope takes effect). */
export async function confirmChannelCode(
  ctx: ServiceContext,
  input: { pendingToken: string; code: string; client: string },
): Promise<{ manageToken: string; manageUrl: string; subscriber: Subscriber }> {
  const { link_secret } = await readSettings(ctx.db);
  const parsed = parseManageToken(link_secret, input.pendingToken);
  if (!parsed) throw new NotFound('This confirmation is no longer valid. Subscribe again to get a new code.');
  await enforceLimits(
    ctx,
    [
      [CONFIRM_PER_ADDRESS, input.client],
      [CODE_TRIES_PER_SUBSCRIPTION, String(parsed.id)],
    ],
    'Too many tries; subscribe again later to get a new code',
  );
  const confirmed = await write(ctx, async (trx) => {
    const row = await repo.subscriberById(trx, parsed.id);
    const valid =
      row &&
      row.link_version === parsed.version &&
      row.confirm_token_hash &&
      row.confirm_expires_at &&
      Date.parse(row.confirm_expires_at) > ctx.now().getTime();
    if (!row || !valid) throw new NotFound('This confirmation is no longer valid. Subscribe again to get a new code.');
    if (row.confirm_token_hash !== sha256(normaliseCode(input.code)))
      throw new Invalid('That is not the code Herald posted; check the channel and try again', [
        { field: 'code', message: 'does not match' },
      ]);
    const at = iso(ctx.now());
    await repo.updateSubscriber(trx, row.id, {
      confirmed_at: row.confirmed_at ?? at,
      confirm_token_hash: null,
      confirm_expires_at: null,
      disabled_at: null,
      disabled_reason: null,
      bounce_count: 0,
      updated_at: at,
    });
    return { manageToken: manageToken(link_secret, row), subscriber: { ...row, confirmed_at: row.confirmed_at ?? at } };
  });
  return { ...confirmed, manageUrl: (await linksFor(ctx, confirmed.subscriber)).manage };
}

/** A "send test" from the manage page or the console: the same message a subscription starts with. */
export async function sendTestDelivery(ctx: ServiceContext, subscriber: Subscriber): Promise<string | null> {
  const probe = probeOf(ctx);
  if (subscriber.channel !== 'webhook' && subscriber.channel !== 'slack' && subscriber.channel !== 'teams')
    throw new Invalid('Only webhook, Slack and Teams subscriptions can be sent a test', []);
  if (!subscriber.target_url) throw new Invalid('This subscription has no address', []);
  return probe.post(
    { channel: subscriber.channel, url: subscriber.target_url, secret: subscriber.signing_secret },
    { kind: 'test' },
    await linksFor(ctx, subscriber),
  );
}

/**
 * The manage page's "send a test" and "resume": a test through the subscription's own endpoint,
 * and, when it got through, deliveries start again (a subscription stopped because its endpoint
 * was gone, or by its owner, comes back only once it answers).
 */
export async function testFromManageLink(
  ctx: ServiceContext,
  input: { token: string; client: string; resume: boolean },
): Promise<string | null> {
  await enforceLimits(
    ctx,
    [[CHANNEL_SUBSCRIBE_PER_ADDRESS, input.client]],
    'Too many tests from your address; try again later',
  );
  const row = await subscriptionOfLink(ctx, input.token);
  if (input.resume && row.disabled_by_team)
    throw new Invalid('The page’s team stopped this subscription; ask them to resume it', []);
  const failure = await sendTestDelivery(ctx, row);
  if (!failure && input.resume && row.disabled_at)
    await write(ctx, (trx) =>
      repo.updateSubscriber(trx, row.id, {
        disabled_at: null,
        disabled_reason: null,
        bounce_count: 0,
        updated_at: iso(ctx.now()),
      }),
    );
  return failure;
}
