import type { Db } from './database.ts';
import type { DeliveryState, SubscriberChannel } from './schema.ts';

export type OperationalCounts = {
  deliveries: Array<{ channel: SubscriberChannel; state: DeliveryState; n: number }>;
  subscribers: Array<{ channel: SubscriberChannel; total: number; confirmed: number; disabled: number }>;
  unexpandedNotifications: number;
};

/** What /metrics reports of the database, in three grouped counts. */
export async function operationalCounts(db: Db): Promise<OperationalCounts> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['channel', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['channel', 'state'])
    .execute();
  // A fan-out keeps rows only for retries and failures; what went out at the first try is its count.
  const fannedOut = await db
    .selectFrom('fanouts')
    .select(['channel', (eb) => eb.fn.sum<number>('sent').as('n')])
    .groupBy('channel')
    .execute();
  const sent = new Map<string, number>();
  for (const f of fannedOut) sent.set(f.channel, Number(f.n ?? 0));
  const deliveries = rows.filter((d) => d.state !== 'sent');
  for (const d of rows.filter((r) => r.state === 'sent')) sent.set(d.channel, (sent.get(d.channel) ?? 0) + Number(d.n));
  for (const [channel, n] of sent) deliveries.push({ channel: channel as SubscriberChannel, state: 'sent', n });
  const subscribers = await db
    .selectFrom('subscribers')
    .select([
      'channel',
      (eb) => eb.fn.countAll<number>().as('total'),
      (eb) => eb.fn.count<number>('confirmed_at').as('confirmed'),
      (eb) => eb.fn.count<number>('disabled_at').as('disabled'),
    ])
    .groupBy('channel')
    .execute();
  const pending = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('expanded_at', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    deliveries: deliveries.map((d) => ({ ...d, n: Number(d.n) })),
    subscribers: subscribers.map((s) => ({
      channel: s.channel,
      total: Number(s.total),
      confirmed: Number(s.confirmed),
      disabled: Number(s.disabled),
    })),
    unexpandedNotifications: Number(pending.n),
  };
}
