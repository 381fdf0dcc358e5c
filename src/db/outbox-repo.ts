import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type {
  Database,
  Delivery,
  Fanout,
  Notification,
  Subscriber,
  SubscriberChannel,
  SubscribersTable,
} from './schema.ts';
import { SUBSCRIBER_CHANNELS } from '../domain/channels.ts';

type Q = Kysely<Database>;

/**
 * A subscriber as a send needs them: the address, push subscription or URL, the link version, and
 * the language they read.
 */
export type Recipient = Pick<
  Subscriber,
  | 'id'
  | 'email'
  | 'push_endpoint'
  | 'push_p256dh'
  | 'push_auth'
  | 'target_url'
  | 'signing_secret'
  | 'link_version'
  | 'language'
>;

const RECIPIENT_COLUMNS = [
  's.id',
  's.email',
  's.push_endpoint',
  's.push_p256dh',
  's.push_auth',
  's.target_url',
  's.signing_secret',
  's.link_version',
  's.language',
] as const;

type SubscriberScope = ExpressionBuilder<Database & { s: SubscribersTable }, 's'>;

type AudienceOf = Pick<Notification, 'component_ids' | 'incident_id' | 'created_at'>;

/**
 * The audience of a notification: confirmed, not disabled, and following everything, one of the
 * notification's components (a JSON array of ids), or its incident alone (until that subscription
 * ended: what was recorded up to its end still reaches it). The fan-out and its figures share it.
 */
function followsNotification(eb: SubscriberScope, notification: AudienceOf) {
  return eb.and([
    eb('s.confirmed_at', 'is not', null),
    eb('s.disabled_at', 'is', null),
    eb.or([
      eb.and([
        eb('s.incident_id', 'is', null),
        eb.or([
          eb('s.all_components', '=', 1),
          eb.exists(
            eb
              .selectFrom('subscriber_components as sc')
              .select(sql`1`.as('one'))
              .whereRef('sc.subscriber_id', '=', 's.id')
              .where(
                'sc.component_id',
                'in',
                sql<string>`(select value from json_each(${notification.component_ids}))`,
              ),
          ),
        ]),
      ]),
      eb.and([
        eb('s.incident_id', '=', notification.incident_id),
        eb.or([eb('s.ended_at', 'is', null), eb('s.ended_at', '>=', notification.created_at)]),
      ]),
    ]),
  ]);
}

/** Notifications whose fan-out has not finished on every channel, oldest first. */
export function unfinishedNotifications(q: Q, limit: number): Promise<Notification[]> {
  return q
    .selectFrom('notifications')
    .selectAll()
    .where('expanded_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export function fanoutsOf(q: Q, notificationIds: readonly number[]): Promise<Fanout[]> {
  if (notificationIds.length === 0) return Promise.resolve([]);
  return q.selectFrom('fanouts').selectAll().where('notification_id', 'in', notificationIds).execute();
}

export async function createFanouts(
  q: Q,
  rows: ReadonlyArray<{ notification_id: number; channel: SubscriberChannel; started_at: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await q
    .insertInto('fanouts')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * The next key range of a notification's audience on one channel: confirmed, active subscribers
 * after `after` who follow all components or one of the affected ones, and who have no delivery
 * row for it yet (a retry or failure already recorded is not sent again by the fan-out).
 */
export function audiencePage(
  q: Q,
  notification: Pick<Notification, 'id'> & AudienceOf,
  channel: SubscriberChannel,
  after: number,
  limit: number,
): Promise<Recipient[]> {
  return q
    .selectFrom('subscribers as s')
    .select(RECIPIENT_COLUMNS)
    .where('s.id', '>', after)
    .where('s.channel', '=', channel)
    .where((eb) => followsNotification(eb, notification))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('deliveries as d')
            .select(sql`1`.as('one'))
            .where('d.notification_id', '=', notification.id)
            .whereRef('d.subscriber_id', '=', 's.id')
            .where('d.channel', '=', channel),
        ),
      ),
    )
    .orderBy('s.id')
    .limit(limit)
    .execute();
}

/** How many of the audience after `after` a fan-out has still to reach (the figures' "pending"). */
export async function audienceCountAfter(
  q: Q,
  notification: Pick<Notification, 'id'> & AudienceOf,
  channel: SubscriberChannel | null,
  after: number,
): Promise<number> {
  let query = q
    .selectFrom('subscribers as s')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('s.id', '>', after)
    .where((eb) => followsNotification(eb, notification));
  if (channel) query = query.where('s.channel', '=', channel);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Moves a fan-out's cursor forward and adds to its sent count; `finishedAt` closes it. */
export async function advanceFanout(
  q: Q,
  notificationId: number,
  channel: SubscriberChannel,
  cursor: number,
  sent: number,
  finishedAt: string | null,
): Promise<void> {
  await q
    .updateTable('fanouts')
    .set((eb) => ({
      cursor: sql<number>`max(${eb.ref('cursor')}, ${cursor})`,
      sent: eb('sent', '+', sent),
      ...(finishedAt ? { finished_at: finishedAt } : {}),
    }))
    .where('notification_id', '=', notificationId)
    .where('channel', '=', channel)
    .execute();
}

/** A notification is done once each of its fan-outs is. */
export async function markFinishedIfDone(q: Q, notificationId: number, at: string): Promise<void> {
  await q
    .updateTable('notifications')
    .set({ expanded_at: at })
    .where('id', '=', notificationId)
    .where('expanded_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('fanouts')
            .select(sql`1`.as('one'))
            .where('notification_id', '=', notificationId)
            .where('finished_at', 'is', null),
        ),
      ),
    )
    .execute();
}

export function notificationById(q: Q, id: number): Promise<Notification | undefined> {
  return q.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
}

export function recipientsByIds(q: Q, ids: readonly number[]): Promise<Recipient[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return q.selectFrom('subscribers as s').select(RECIPIENT_COLUMNS).where('s.id', 'in', ids).execute();
}

export function bounceCountOf(q: Q, subscriberId: number): Promise<{ bounce_count: number } | undefined> {
  return q.selectFrom('subscribers').select('bounce_count').where('id', '=', subscriberId).executeTakeFirst();
}

export async function setBounces(
  q: Q,
  subscriberId: number,
  bounceCount: number,
  disabledAt: string | null,
): Promise<void> {
  await q
    .updateTable('subscribers')
    .set({
      bounce_count: bounceCount,
      ...(disabledAt ? { disabled_at: disabledAt, disabled_reason: `${bounceCount} deliveries failed for good` } : {}),
    })
    .where('id', '=', subscriberId)
    .execute();
}

/** Stops deliveries to a subscription whose other end is gone, keeping it to show why. */
export async function disableSubscriber(q: Q, subscriberId: number, at: string, reason: string): Promise<void> {
  await q
    .updateTable('subscribers')
    .set({ disabled_at: at, disabled_reason: reason })
    .where('id', '=', subscriberId)
    .execute();
}

export async function deleteSubscriber(q: Q, subscriberId: number): Promise<void> {
  await q.deleteFrom('subscribers').where('id', '=', subscriberId).execute();
}

/**
 * Records a failed attempt: on the delivery row for a retry, or as a new row for a recipient the
 * fan-out reached (the only recipients with rows are those a send failed for).
 */
export async function recordAttemptFailure(
  q: Q,
  delivery: {
    id: number | null;
    notificationId: number;
    subscriberId: number;
    channel: SubscriberChannel;
    attempts: number;
  },
  outcome: { state: 'pending' | 'failed'; error: string; nextAttemptAt: string },
): Promise<void> {
  const values = {
    state: outcome.state,
    last_error: outcome.error,
    next_attempt_at: outcome.nextAttemptAt,
    attempts: delivery.attempts,
  };
  if (delivery.id !== null) {
    await q.updateTable('deliveries').set(values).where('id', '=', delivery.id).execute();
    return;
  }
  await q
    .insertInto('deliveries')
    .values({
      notification_id: delivery.notificationId,
      subscriber_id: delivery.subscriberId,
      channel: delivery.channel,
      ...values,
    })
    .onConflict((oc) => oc.columns(['notification_id', 'subscriber_id', 'channel']).doUpdateSet(values))
    .execute();
}

export async function deleteDelivery(q: Q, id: number): Promise<void> {
  await q.deleteFrom('deliveries').where('id', '=', id).execute();
}

export async function markSent(q: Q, ids: readonly number[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await q
    .updateTable('deliveries')
    .set({ state: 'sent', sent_at: at, last_error: null })
    .where('id', 'in', ids)
    .execute();
}

/**
 * How many confirmed, active subscribers an update of these components would reach, by channel:
 * those following everything or one of the components, and those following the incident alone.
 */
export async function audienceCounts(
  q: Q,
  componentIds: readonly string[],
  incidentId: string | null = null,
): Promise<Record<SubscriberChannel, number>> {
  const rows = await q
    .selectFrom('subscribers as s')
    .select(['s.channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('s.confirmed_at', 'is not', null)
    .where('s.disabled_at', 'is', null)
    .where((eb) => {
      const pageWide = eb.and([
        eb('s.incident_id', 'is', null),
        componentIds.length === 0
          ? eb('s.all_components', '=', 1)
          : eb.or([
              eb('s.all_components', '=', 1),
              eb.exists(
                eb
                  .selectFrom('subscriber_components as sc')
                  .select(sql`1`.as('one'))
                  .whereRef('sc.subscriber_id', '=', 's.id')
                  .where('sc.component_id', 'in', componentIds),
              ),
            ]),
      ]);
      if (incidentId === null) return pageWide;
      return eb.or([pageWide, eb.and([eb('s.incident_id', '=', incidentId), eb('s.ended_at', 'is', null)])]);
    })
    .groupBy('s.channel')
    .execute();
  const counts = Object.fromEntries(SUBSCRIBER_CHANNELS.map((c) => [c, 0])) as Record<SubscriberChannel, number>;
  for (const row of rows) counts[row.channel] = Number(row.n);
  return counts;
}

/**
 * Audience per component in two queries rather than one per component: everyone following all
 * components, plus each component's own followers.
 */
export async function audienceByComponent(q: Q): Promise<{ everything: number; byComponent: Map<string, number> }> {
  const active = sql<boolean>`s.confirmed_at is not null and s.disabled_at is null and s.incident_id is null`;
  const [everything, own] = await Promise.all([
    q
      .selectFrom('subscribers as s')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(active)
      .where('s.all_components', '=', 1)
      .executeTakeFirstOrThrow(),
    q
      .selectFrom('subscriber_components as sc')
      .innerJoin('subscribers as s', 's.id', 'sc.subscriber_id')
      .select(['sc.component_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where(active)
      .where('s.all_components', '=', 0)
      .groupBy('sc.component_id')
      .execute(),
  ]);
  return { everything: Number(everything.n), byComponent: new Map(own.map((r) => [r.component_id, Number(r.n)])) };
}

export type ClaimedDelivery = Pick<Delivery, 'id' | 'notification_id' | 'subscriber_id' | 'channel' | 'attempts'>;

/** Marks due retries as being sent and returns them; the state change is the claim. */
export function claimDue(
  q: Q,
  channels: readonly SubscriberChannel[],
  now: string,
  limit: number,
): Promise<ClaimedDelivery[]> {
  return q
    .updateTable('deliveries')
    .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1) }))
    .where(
      'id',
      'in',
      q
        .selectFrom('deliveries')
        .select('id')
        .where('state', '=', 'pending')
        .where('channel', 'in', channels)
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit),
    )
    .returning(['id', 'notification_id', 'subscriber_id', 'channel', 'attempts'])
    .execute();
}

/** After a crash, what was being sent is due again (a mail in flight may go twice, no more). */
export async function releaseInterrupted(q: Q): Promise<number> {
  const result = await q
    .updateTable('deliveries')
    .set({ state: 'pending' })
    .where('state', '=', 'sending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Claimed but never started (the worker is stopping): due again, as if never claimed. */
export async function releaseClaimed(q: Q, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await q
    .updateTable('deliveries')
    .set({ state: 'pending' })
    .where('id', 'in', ids)
    .where('state', '=', 'sending')
    .execute();
}

/**
 * When the longest-waiting work was due: a retry's time, or the creation of a notification whose
 * fan-out has not finished. How far the fan-out is behind.
 */
export async function oldestDueAt(q: Q, now: string): Promise<string | null> {
  const retry = await q
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .executeTakeFirst();
  const fanout = await q
    .selectFrom('notifications')
    .select((eb) => eb.fn.min('created_at').as('at'))
    .where('expanded_at', 'is', null)
    .executeTakeFirst();
  const times = [retry?.at, fanout?.at].filter((t): t is string => typeof t === 'string');
  return times.length ? (times.sort()[0] ?? null) : null;
}

export async function nextDueAt(q: Q, channels: readonly SubscriberChannel[]): Promise<string | null> {
  const row = await q
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('state', '=', 'pending')
    .where('channel', 'in', channels)
    .executeTakeFirst();
  return row?.at ?? null;
}

export type DeliveryCounts = { pending: number; sending: number; sent: number; failed: number };
export type UpdateDeliveryCounts = DeliveryCounts & {
  notification_id: number;
  event: string;
  /** The same figures per channel, for the channels that had anyone to reach. */
  by_channel: Partial<Record<SubscriberChannel, DeliveryCounts>>;
};

const zeroCounts = (): DeliveryCounts => ({ pending: 0, sending: 0, sent: 0, failed: 0 });

/**
 * Per notifying update: sent (by the fan-out, and retries that went through), pending (retries
 * waiting, and the audience a running fan-out has still to reach), sending, and failed; in all
 * and per channel. A component's own webhook notices ride with their update's figures.
 */
export async function deliveryCountsByUpdate(
  q: Q,
  incidentId: string,
): Promise<Map<string | null, UpdateDeliveryCounts>> {
  const notifications = await q
    .selectFrom('notifications')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('id')
    .execute();
  const ids = notifications.map((n) => n.id);
  const [rows, fanouts] = await Promise.all([
    ids.length
      ? q
          .selectFrom('deliveries')
          .select(['notification_id', 'channel', 'state', (eb) => eb.fn.countAll<number>().as('n')])
          .where('notification_id', 'in', ids)
          .groupBy(['notification_id', 'channel', 'state'])
          .execute()
      : Promise.resolve([]),
    fanoutsOf(q, ids),
  ]);
  const result = new Map<string | null, UpdateDeliveryCounts>();
  for (const n of notifications) {
    const entry = result.get(n.update_id) ?? {
      notification_id: n.id,
      event: n.event,
      ...zeroCounts(),
      by_channel: {},
    };
    const add = (channel: SubscriberChannel, state: keyof DeliveryCounts, count: number) => {
      entry[state] += count;
      const own = (entry.by_channel[channel] ??= zeroCounts());
      own[state] += count;
    };
    for (const row of rows) if (row.notification_id === n.id) add(row.channel, row.state, Number(row.n));
    const own = fanouts.filter((f) => f.notification_id === n.id);
    for (const f of own) {
      add(f.channel, 'sent', f.sent);
      if (!f.finished_at) add(f.channel, 'pending', await audienceCountAfter(q, n, f.channel, f.cursor));
    }
    if (own.length === 0 && !n.expanded_at) entry.pending += await audienceCountAfter(q, n, null, 0);
    // A channel nobody follows is left out rather than shown as zeros.
    for (const [channel, counts] of Object.entries(entry.by_channel))
      if (Object.values(counts).every((v) => v === 0)) delete entry.by_channel[channel as SubscriberChannel];
    result.set(n.update_id, entry);
  }
  return result;
}

/** Deliveries that gave up, with their recipients: what the lead needs to follow up by hand. */
export function failedDeliveriesOf(q: Q, incidentId: string, limit: number) {
  return q
    .selectFrom('deliveries as d')
    .innerJoin('notifications as n', 'n.id', 'd.notification_id')
    .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
    .select(['n.update_id', 'd.channel', 's.email', 's.push_endpoint', 's.target_url', 'd.attempts', 'd.last_error'])
    .where('n.incident_id', '=', incidentId)
    .where('d.state', '=', 'failed')
    .orderBy('d.id')
    .limit(limit)
    .execute();
}
