import { type Kysely, sql } from 'kysely';
import type { Database, Delivery, Notification, SubscriberChannel } from './schema.ts';

type Q = Kysely<Database>;

export function unexpandedNotifications(q: Q): Promise<Notification[]> {
  return q.selectFrom('notifications').selectAll().where('expanded_at', 'is', null).orderBy('id').limit(20).execute();
}

/**
 * The next batch of confirmed, active subscribers a notification reaches: everyone who follows
 * all components, and those who follow one of the affected components.
 */
export async function audienceAfter(q: Q, notification: Notification, limit: number): Promise<Array<{ id: number; channel: SubscriberChannel }>> {
  return q
    .selectFrom('subscribers as s')
    .select(['s.id', 's.channel'])
    .where('s.id', '>', notification.expand_cursor)
    .where('s.confirmed_at', 'is not', null)
    .where('s.disabled_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('s.all_components', '=', 1),
        eb.exists(
          eb
            .selectFrom('subscriber_components as sc')
            .select(sql`1`.as('one'))
            .whereRef('sc.subscriber_id', '=', 's.id')
            .where('sc.component_id', 'in', sql<string>`(select value from json_each(${notification.component_ids}))`),
        ),
      ]),
    )
    .orderBy('s.id')
    .limit(limit)
    .execute();
}

/** How many confirmed, active subscribers an update of these components would reach, by channel. */
export async function audienceCounts(q: Q, componentIds: readonly string[]): Promise<Record<SubscriberChannel, number>> {
  const rows = await q
    .selectFrom('subscribers as s')
    .select(['s.channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('s.confirmed_at', 'is not', null)
    .where('s.disabled_at', 'is', null)
    .where((eb) =>
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
    )
    .groupBy('s.channel')
    .execute();
  const counts: Record<SubscriberChannel, number> = { email: 0, push: 0 };
  for (const row of rows) counts[row.channel] = Number(row.n);
  return counts;
}

/**
 * Audience per component in two queries rather than one per component: everyone following all
 * components, plus each component's own followers.
 */
export async function audienceByComponent(q: Q): Promise<{ everything: number; byComponent: Map<string, number> }> {
  const active = sql<boolean>`s.confirmed_at is not null and s.disabled_at is null`;
  const [everything, own] = await Promise.all([
    q.selectFrom('subscribers as s').select((eb) => eb.fn.countAll<number>().as('n')).where(active).where('s.all_components', '=', 1).executeTakeFirstOrThrow(),
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

/** Marks due deliveries as being sent and returns them; the state change is the claim. */
export function claimDue(q: Q, channels: readonly SubscriberChannel[], now: string, limit: number): Promise<ClaimedDelivery[]> {
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
  const result = await q.updateTable('deliveries').set({ state: 'pending' }).where('state', '=', 'sending').executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Claimed but never started (the worker is stopping): due again, as if never claimed. */
export async function releaseClaimed(q: Q, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await q.updateTable('deliveries').set({ state: 'pending' }).where('id', 'in', ids).where('state', '=', 'sending').execute();
}

/** When the longest-waiting due delivery was due: how far the fan-out is behind. */
export async function oldestDueAt(q: Q, now: string): Promise<string | null> {
  const row = await q.selectFrom('deliveries').select((eb) => eb.fn.min('next_attempt_at').as('at')).where('state', '=', 'pending').where('next_attempt_at', '<=', now).executeTakeFirst();
  return row?.at ?? null;
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

export async function deliveryCountsByUpdate(q: Q, incidentId: string): Promise<Map<string | null, DeliveryCounts & { notification_id: number; event: string }>> {
  const rows = await q
    .selectFrom('notifications as n')
    .leftJoin('deliveries as d', 'd.notification_id', 'n.id')
    .select(['n.id', 'n.update_id', 'n.event', 'd.state', (eb) => eb.fn.count<number>('d.id').as('n')])
    .where('n.incident_id', '=', incidentId)
    .groupBy(['n.id', 'd.state'])
    .execute();
  const result = new Map<string | null, DeliveryCounts & { notification_id: number; event: string }>();
  for (const row of rows) {
    const entry = result.get(row.update_id) ?? { notification_id: row.id, event: row.event, pending: 0, sending: 0, sent: 0, failed: 0 };
    if (row.state) entry[row.state] += Number(row.n);
    result.set(row.update_id, entry);
  }
  return result;
}

/** Deliveries that gave up, with their recipients: what the lead needs to follow up by hand. */
export function failedDeliveriesOf(q: Q, incidentId: string, limit: number) {
  return q
    .selectFrom('deliveries as d')
    .innerJoin('notifications as n', 'n.id', 'd.notification_id')
    .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
    .select(['n.update_id', 'd.channel', 's.email', 's.push_endpoint', 'd.attempts', 'd.last_error'])
    .where('n.incident_id', '=', incidentId)
    .where('d.state', '=', 'failed')
    .orderBy('d.id')
    .limit(limit)
    .execute();
}
