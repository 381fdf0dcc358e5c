import * as outbox from '../db/outbox-repo.ts';
import type { Fanout, Notification, SubscriberChannel } from '../db/schema.ts';
import {
  decideFailure,
  type DeliveryPolicy,
  type FailureDecision,
  type SendFailure,
} from '../domain/delivery-policy.ts';
import { iso, type ServiceContext } from './context.ts';
import { channelsFor } from '../domain/channels.ts';

/**
 * The notification worker's use cases (src/notify/worker.ts keeps only the loop and the sends).
 * A fan-out walks its audience by key ranges and records its progress as a cursor per channel;
 * only a failed send gets a delivery row (to retry it, or to say who did not get it and why).
 */

export type { Recipient } from '../db/outbox-repo.ts';
export type OpenFanout = { notification: Notification; channel: SubscriberChannel; cursor: number };
export type ClaimedRetry = outbox.ClaimedDelivery & { recipient: outbox.Recipient | undefined };

/** How many notifications are fanned out at a time. */
const OPEN_NOTIFICATIONS = 20;

/**
 * The fan-outs still running on these channels, oldest first; a new notification gets its
 * fan-outs here, one per channel, starting before the first subscriber.
 */
export async function openFanouts(ctx: ServiceContext, channels: readonly SubscriberChannel[]): Promise<OpenFanout[]> {
  const notifications = await outbox.unfinishedNotifications(ctx.db, OPEN_NOTIFICATIONS);
  if (notifications.length === 0) return [];
  let fanouts = await outbox.fanoutsOf(
    ctx.db,
    notifications.map((n) => n.id),
  );
  const missing = notifications.flatMap((n) =>
    channels
      .filter((channel) => channelsFor(n.event).includes(channel))
      .filter((channel) => !fanouts.some((f) => f.notification_id === n.id && f.channel === channel))
      .map((channel) => ({ notification_id: n.id, channel })),
  );
  if (missing.length > 0) {
    const at = iso(ctx.now());
    await ctx.db.transaction().execute((trx) =>
      outbox.createFanouts(
        trx,
        missing.map((m) => ({ ...m, started_at: at })),
      ),
    );
    fanouts = await outbox.fanoutsOf(
      ctx.db,
      notifications.map((n) => n.id),
    );
  }
  const byId = new Map(notifications.map((n) => [n.id, n]));
  const open: OpenFanout[] = [];
  for (const f of fanouts.sort((a, b) => a.notification_id - b.notification_id)) {
    const notification = byId.get(f.notification_id);
    if (notification && !f.finished_at && channels.includes(f.channel))
      open.push({ notification, channel: f.channel, cursor: f.cursor });
  }
  // A notification whose fan-outs had all finished (under another list of channels), or that
  // none of these channels carries, is closed.
  const closed = notifications.filter(
    (n) =>
      !open.some((o) => o.notification.id === n.id) &&
      (fanouts.some((f: Fanout) => f.notification_id === n.id) ||
        !channels.some((channel) => channelsFor(n.event).includes(channel))),
  );
  for (const n of closed) await outbox.markFinishedIfDone(ctx.db, n.id, iso(ctx.now()));
  return open;
}

/** The next key range of a fan-out's audience, after the given subscriber id. */
export function nextRecipients(
  ctx: ServiceContext,
  fanout: OpenFanout,
  after: number,
  limit: number,
): Promise<outbox.Recipient[]> {
  return outbox.audiencePage(ctx.db, fanout.notification, fanout.channel, after, limit);
}

/**
 * Everyone up to `cursor` has been sent the notification (`sent` more of them since the last
 * record) or has a delivery row; `finished` closes the fan-out, and the notification with it
 * when its other channels are done too.
 */
export async function recordProgress(
  ctx: ServiceContext,
  fanout: OpenFanout,
  cursor: number,
  sent: number,
  finished: boolean,
): Promise<void> {
  const at = finished ? iso(ctx.now()) : null;
  await ctx.db.transaction().execute(async (trx) => {
    await outbox.advanceFanout(trx, fanout.notification.id, fanout.channel, cursor, sent, at);
    if (at) await outbox.markFinishedIfDone(trx, fanout.notification.id, at);
  });
}

/** Claims retries that are due on a channel, with their recipients (gone ones: undefined). */
export async function claimDueRetries(
  ctx: ServiceContext,
  channel: SubscriberChannel,
  limit: number,
): Promise<ClaimedRetry[]> {
  const claimed = await outbox.claimDue(ctx.db, [channel], iso(ctx.now()), limit);
  if (claimed.length === 0) return [];
  const recipients = new Map(
    (await outbox.recipientsByIds(ctx.db, [...new Set(claimed.map((d) => d.subscriber_id))])).map((r) => [r.id, r]),
  );
  return claimed.map((d) => ({ ...d, recipient: recipients.get(d.subscriber_id) }));
}

export async function recordRetriesSent(ctx: ServiceContext, ids: readonly number[]): Promise<void> {
  await outbox.markSent(ctx.db, ids, iso(ctx.now()));
}

/** A retry whose subscriber is gone: nothing left to send. */
export async function dropRetry(ctx: ServiceContext, id: number): Promise<void> {
  await outbox.deleteDelivery(ctx.db, id);
}

export type FailedAttempt = {
  deliveryId: number | null;
  notificationId: number;
  subscriberId: number;
  channel: SubscriberChannel;
  attempts: number;
};

/**
 * Records a failed send as the delivery policy decides: a retry at a later time, a final failure
 * with its reason (a hard bounce counts against the subscriber and may disable them), or the
 * removal of a subscription that is gone.
 */
export async function recordFailure(
  ctx: ServiceContext,
  policy: DeliveryPolicy,
  attempt: FailedAttempt,
  failure: SendFailure,
  random: () => number = Math.random,
): Promise<FailureDecision['outcome']> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const subscriber = await outbox.bounceCountOf(trx, attempt.subscriberId);
    if (!subscriber) return 'gone';
    const decision = decideFailure(
      policy,
      failure,
      { attempts: attempt.attempts, bounceCount: subscriber.bounce_count },
      now.getTime(),
      random,
    );
    const delivery = {
      id: attempt.deliveryId,
      notificationId: attempt.notificationId,
      subscriberId: attempt.subscriberId,
      channel: attempt.channel,
      attempts: attempt.attempts,
    };
    switch (decision.outcome) {
      case 'gone':
        await outbox.deleteSubscriber(trx, attempt.subscriberId);
        break;
      case 'disabled':
        await outbox.recordAttemptFailure(trx, delivery, {
          state: 'failed',
          error: decision.reason,
          nextAttemptAt: iso(now),
        });
        await outbox.disableSubscriber(trx, attempt.subscriberId, iso(now), decision.reason);
        break;
      case 'failed':
        await outbox.recordAttemptFailure(trx, delivery, {
          state: 'failed',
          error: decision.reason,
          nextAttemptAt: iso(now),
        });
        if (decision.bounceCount !== subscriber.bounce_count)
          await outbox.setBounces(trx, attempt.subscriberId, decision.bounceCount, decision.disable ? iso(now) : null);
        break;
      case 'retry':
        await outbox.recordAttemptFailure(trx, delivery, {
          state: 'pending',
          error: decision.reason,
          nextAttemptAt: new Date(decision.nextAttemptAt).toISOString(),
        });
        break;
    }
    return decision.outcome;
  });
}

/** Claimed but never started (the worker is stopping): due again, as if never claimed. */
export function releaseClaimed(ctx: ServiceContext, ids: readonly number[]): Promise<void> {
  return outbox.releaseClaimed(ctx.db, ids);
}

/** After a crash, the retries that were being sent are due again (each may go twice, no more). */
export function releaseInterrupted(ctx: ServiceContext): Promise<number> {
  return outbox.releaseInterrupted(ctx.db);
}

export function nextRetryAt(ctx: ServiceContext, channels: readonly SubscriberChannel[]): Promise<string | null> {
  return outbox.nextDueAt(ctx.db, channels);
}

export function notificationById(ctx: ServiceContext, id: number): Promise<Notification | undefined> {
  return outbox.notificationById(ctx.db, id);
}
