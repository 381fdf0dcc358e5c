import { findComponents } from '../db/components-repo.ts';
import * as repo from '../db/subscriptions-repo.ts';
import type { Subscriber } from '../db/schema.ts';
import { newSecret, sha256 } from '../lib/ids.ts';
import {
  CONFIRM_PER_ADDRESS,
  confirmationMails,
  MANAGE_PER_ADDRESS,
  SUBSCRIBE_PER_ADDRESS,
  UNSUBSCRIBE_PER_ADDRESS,
} from '../domain/rate-limit.ts';
import { manageToken, parseManageToken } from '../domain/manage-link.ts';
import type { ServiceContext, Trx } from './context.ts';
import { iso, write } from './context.ts';
import { Invalid, NotFound } from './errors.ts';
import { countHit, enforceLimits } from './rate-limits.ts';
import { readSettings } from './settings.ts';
import { queueMail } from './transactional-mail.ts';

export const CONFIRM_TTL_MS = 48 * 3_600_000;
/** At most one mail an hour to an address that asks to subscribe: we are not a mail cannon. */
export const RESEND_AFTER_MS = 3_600_000;

export type ComponentChoice = { all: true } | { all: false; componentIds: string[] };

/** Which mail the request queued, if any: for tests and logs; callers answer the same regardless. */
export type SubscribeOutcome = { queued: 'confirmation' | 'manage-link' | 'nothing' };

async function checkComponents(trx: Trx, choice: ComponentChoice): Promise<void> {
  if (choice.all) return;
  if (choice.componentIds.length === 0)
    throw new Invalid('Choose at least one component, or all of them', [
      { field: 'components', message: 'none chosen' },
    ]);
  const found = new Set(
    (await findComponents(trx, choice.componentIds)).filter((c) => c.hidden === 0).map((c) => c.id),
  );
  const unknown = choice.componentIds.filter((id) => !found.has(id));
  if (unknown.length)
    throw new Invalid(
      'Unknown component',
      unknown.map((id) => ({ field: 'components', message: `no component ${id}` })),
    );
}

function setComponents(trx: Trx, subscriberId: number, choice: ComponentChoice): Promise<void> {
  return repo.setChosenComponents(trx, subscriberId, choice.all ? [] : choice.componentIds);
}

/**
 * Double opt-in. What the caller learns is the same whether or not the address is already
 * subscribed; only the mail that goes out (if any) differs: never more than one an hour to an
 * address, and never more an hour in all than the owner's ceiling. A client that asks too often
 * is refused before anything is looked up, which tells it nothing about any address.
 */
export async function requestEmailSubscription(
  ctx: ServiceContext,
  input: { email: string; choice: ComponentChoice; client: string },
): Promise<SubscribeOutcome> {
  const email = input.email.trim().toLowerCase();
  await enforceLimits(
    ctx,
    [[SUBSCRIBE_PER_ADDRESS, input.client]],
    'Too many subscription requests from your address; try again later',
  );
  const { confirmation_mails_per_hour } = await readSettings(ctx.db);
  const mayMail = async (trx: Trx) =>
    (await countHit(ctx, confirmationMails(confirmation_mails_per_hour), 'all', trx)) === 0;
  return write(ctx, async (trx, touch) => {
    await checkComponents(trx, input.choice);
    const now = ctx.now();
    const at = iso(now);
    const existing = await repo.subscriberByEmail(trx, email);
    const recentlyMailed =
      existing?.confirm_sent_at && now.getTime() - Date.parse(existing.confirm_sent_at) < RESEND_AFTER_MS;
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
      all_components: input.choice.all ? (1 as const) : (0 as const),
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
        created_at: at,
        ...fields,
      });
    }
    await setComponents(trx, id, input.choice);
    await queueMail(trx, touch, { kind: 'subscription-confirm', to: email, token }, at);
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

/** The subscriber a manage link stands for, or null when it is forged or retired. */
export async function subscriberByLink(
  ctx: ServiceContext,
  token: string,
): Promise<(Subscriber & { componentIds: string[] }) | null> {
  const { link_secret } = await readSettings(ctx.db);
  const parsed = parseManageToken(link_secret, token);
  if (!parsed) return null;
  const subscriber = await repo.subscriberById(ctx.db, parsed.id);
  if (!subscriber || subscriber.link_version !== parsed.version || !subscriber.confirmed_at) return null;
  return { ...subscriber, componentIds: await repo.chosenComponentIds(ctx.db, subscriber.id) };
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
  await write(ctx, async (trx) => {
    await checkComponents(trx, choice);
    await repo.updateSubscriber(trx, subscriber.id, { all_components: choice.all ? 1 : 0, updated_at: iso(ctx.now()) });
    await setComponents(trx, subscriber.id, choice);
  });
}

/** One click, no questions: the row goes, and with it every pending delivery to it. */
export async function unsubscribe(ctx: ServiceContext, token: string, client: string): Promise<boolean> {
  await enforceLimits(ctx, [[UNSUBSCRIBE_PER_ADDRESS, client]], 'Too many requests from your address; try again later');
  const subscriber = await subscriberByLink(ctx, token);
  if (!subscriber) return false;
  await write(ctx, (trx) => repo.deleteSubscriber(trx, subscriber.id));
  return true;
}
