import * as repo from '../db/subscriptions-repo.ts';
import type { Subscriber } from '../db/schema.ts';
import { findIncident } from '../db/incidents-repo.ts';
import { newSecret, sha256 } from '../lib/ids.ts';
import {
  CONFIRM_PER_ADDRESS,
  confirmationMails,
  MANAGE_PER_ADDRESS,
  SUBSCRIBE_PER_ADDRESS,
  UNSUBSCRIBE_PER_ADDRESS,
} from '../domain/rate-limit.ts';
import { manageToken, parseManageToken } from '../domain/manage-link.ts';
import { languageOf } from '../i18n/languages.ts';
import { pageLanguagesOf, subscriberLanguage } from '../i18n/reader-language.ts';
import type { ServiceContext, Trx } from './context.ts';
import { iso, write } from './context.ts';
import { Invalid, NotFound } from './errors.ts';
import { countHit, enforceLimits } from './rate-limits.ts';
import { readSettings } from './settings.ts';
import { queueMail } from './transactional-mail.ts';
import {
  type ComponentChoice,
  resolveScope,
  scopeColumns,
  storeChosenComponents,
  type SubscriptionScope,
} from './subscription-scope.ts';

export const CONFIRM_TTL_MS = 48 * 3_600_000;
/** At most one mail an hour to an address that asks to subscribe: we are not a mail cannon. */
export const RESEND_AFTER_MS = 3_600_000;

export type { ComponentChoice } from './subscription-scope.ts';

/** Which mail the request queued, if any: for tests and logs; callers answer the same regardless. */
export type SubscribeOutcome = { queued: 'confirmation' | 'manage-link' | 'nothing' };

/**
 * Double opt-in. What the caller learns is the same whether or not the address is already
 * subscribed; only the mail that goes out (if any) differs: never more than one an hour to an
 * address, and never more an hour in all than the owner's ceiling. A client that asks too often
 * is refused before anything is looked up, which tells it nothing about any address.
 */
export async function requestEmailSubscription(
  ctx: ServiceContext,
  /** `language`: the code of the page the form was on; unknown or none is the page's default. */
  input: { email: string; scope: SubscriptionScope; client: string; language?: string | undefined },
): Promise<SubscribeOutcome> {
  const email = input.email.trim().toLowerCase();
  await enforceLimits(
    ctx,
    [[SUBSCRIBE_PER_ADDRESS, input.client]],
    'Too many subscription requests from your address; try again later',
  );
  const settings = await readSettings(ctx.db);
  const { confirmation_mails_per_hour } = settings;
  const language = subscriberLanguage(input.language, settings);
  const mayMail = async (trx: Trx) =>
    (await countHit(ctx, confirmationMails(confirmation_mails_per_hour), 'all', trx)) === 0;
  return write(ctx, async (trx, touch) => {
    const scope = await resolveScope(trx, input.scope);
    const now = ctx.now();
    const at = iso(now);
    const existing = await repo.subscriberByEmail(trx, email, scope.incidentId);
    const recentlyMailed =
      existing?.confirm_sent_at && now.getTime() - Date.parse(existing.confirm_sent_at) < RESEND_AFTER_MS;
    // A confirmed subscription keeps its language: whoever asks again only causes a manage mail.
    if (existing?.confirmed_at && !existing.disabled_at) {
      if (recentlyMailed || !(await mayMail(trx))) return { queued: 'nothing' };
      await repo.updateSubscriber(trx, existing.id, { confirm_sent_at: at });
      await queueMail(trx, touch, { kind: 'subscription-manage', to: email, subscriberId: existing.id }, at);
      return { queued: 'manage-link' };
    }
    if (recentlyMailed || !(await mayMail(trx))) return { queued: 'nothing' };
    const token = newSecret();
    const fields = {
      confirm_token_hash: sha256(token),
      confirm_expires_at: iso(new Date(now.getTime() + CONFIRM_TTL_MS)),
      confirm_sent_at: at,
      ...scopeColumns(scope),
      language,
      updated_at: at,
    };
    let id: number;
    if (existing) {
      id = existing.id;
      await repo.updateSubscriber(trx, id, { ...fields, confirmed_at: null, disabled_at: null, bounce_count: 0 });
    } else {
      id = await repo.insertSubscriber(trx, {
        channel: 'email',
        email,
        confirmed_at: null,
        disabled_at: null,
        push_endpoint: null,
        push_p256dh: null,
        push_auth: null,
        target_url: null,
        signing_secret: null,
        ended_at: null,
        created_at: at,
        ...fields,
      });
    }
    await storeChosenComponents(trx, id, scope);
    await queueMail(trx, touch, { kind: 'subscription-confirm', to: email, token, language }, at);
    return { queued: 'confirmation' };
  });
}

/** Single use and valid 48 hours; answers the confirmed subscriber and their manage token. */
export async function confirmSubscription(
  ctx: ServiceContext,
  token: string,
  client: string,
): Promise<{ subscriber: Subscriber; manageToken: string }> {
  await enforceLimits(
    ctx,
    [[CONFIRM_PER_ADDRESS, client]],
    'Too many confirmations from your address; try again later',
  );
  return write(ctx, async (trx) => {
    const subscriber = await repo.subscriberByConfirmHash(trx, sha256(token));
    if (
      !subscriber ||
      !subscriber.confirm_expires_at ||
      Date.parse(subscriber.confirm_expires_at) <= ctx.now().getTime()
    ) {
      throw new NotFound('This confirmation link is no longer valid. Subscribe again to get a new one.');
    }
    const at = iso(ctx.now());
    await repo.updateSubscriber(trx, subscriber.id, {
      confirmed_at: at,
      confirm_token_hash: null,
      confirm_expires_at: null,
      updated_at: at,
    });
    const confirmed = { ...subscriber, confirmed_at: at, confirm_token_hash: null, confirm_expires_at: null };
    const { link_secret } = await readSettings(trx);
    return { subscriber: confirmed, manageToken: manageToken(link_secret, confirmed) };
  });
}

export async function peekConfirmation(ctx: ServiceContext, token: string): Promise<boolean> {
  const row = await repo.subscriberByConfirmHash(ctx.db, sha256(token));
  return !!row?.confirm_expires_at && Date.parse(row.confirm_expires_at) > ctx.now().getTime();
}

export type ManagedSubscription = Subscriber & {
  componentIds: string[];
  /** The one incident it follows, if that is its scope. */
  incident: { code: string; name: string } | null;
};

/** The subscriber a manage link stands for, or null when it is forged or retired. */
export async function subscriberByLink(ctx: ServiceContext, token: string): Promise<ManagedSubscription | null> {
  const { link_secret } = await readSettings(ctx.db);
  const parsed = parseManageToken(link_secret, token);
  if (!parsed) return null;
  const subscriber = await repo.subscriberById(ctx.db, parsed.id);
  if (!subscriber || subscriber.link_version !== parsed.version || !subscriber.confirmed_at) return null;
  const incident = subscriber.incident_id ? await findIncident(ctx.db, subscriber.incident_id) : undefined;
  return {
    ...subscriber,
    componentIds: await repo.chosenComponentIds(ctx.db, subscriber.id),
    incident: incident ? { code: incident.code, name: incident.name } : null,
  };
}

export async function changeComponents(
  ctx: ServiceContext,
  token: string,
  choice: ComponentChoice,
  client: string,
): Promise<void> {
  await enforceLimits(ctx, [[MANAGE_PER_ADDRESS, client]], 'Too many changes from your address; try again later');
  const subscriber = await subscriberByLink(ctx, token);
  if (!subscriber) throw new NotFound('This link is no longer valid.');
  if (subscriber.incident_id !== null)
    throw new Invalid('This subscription follows one incident; subscribe again to follow components', []);
  await write(ctx, async (trx) => {
    const scope = await resolveScope(trx, choice);
    await repo.updateSubscriber(trx, subscriber.id, { ...scopeColumns(scope), updated_at: iso(ctx.now()) });
    await storeChosenComponents(trx, subscriber.id, scope);
  });
}

/**
 * The language a subscription's mails and pushes are written in, from its manage page: one of the
 * languages the page offers. Answers the language now in effect.
 */
export async function changeLanguage(
  ctx: ServiceContext,
  token: string,
  code: string,
  client: string,
): Promise<{ code: string; name: string }> {
  await enforceLimits(ctx, [[MANAGE_PER_ADDRESS, client]], 'Too many changes from your address; try again later');
  const subscriber = await subscriberByLink(ctx, token);
  if (!subscriber) throw new NotFound('This link is no longer valid.');
  const { offered } = pageLanguagesOf(await readSettings(ctx.db));
  const language = languageOf(code);
  if (!language || !offered.includes(language))
    throw new Invalid('This page does not offer that language', [{ field: 'language', message: 'not offered' }]);
  await write(ctx, (trx) =>
    repo.updateSubscriber(trx, subscriber.id, { language: language.code, updated_at: iso(ctx.now()) }),
  );
  return { code: language.code, name: language.name };
}

/** One click, no questions: the row goes, and with it every pending delivery to it. */
export async function unsubscribe(ctx: ServiceContext, token: string, client: string): Promise<boolean> {
  await enforceLimits(ctx, [[UNSUBSCRIBE_PER_ADDRESS, client]], 'Too many requests from your address; try again later');
  const subscriber = await subscriberByLink(ctx, token);
  if (!subscriber) return false;
  await write(ctx, (trx) => repo.deleteSubscriber(trx, subscriber.id));
  return true;
}
