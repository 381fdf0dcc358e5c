import type { Db } from './database.ts';
import type { DeliveryState, SubscriberChannel } from './schema.ts';

export type OperationalCounts = {
  deliveries: Array<{ channel: SubscriberChannel; state: DeliveryState; n: number }>;
  subscribers: Array<{ channel: SubscriberChannel; total: number; confirmed: number; disabled: number }>;
  unexpandedNotifications: number;
};

/** What /metrics reports of the database, in three grouped counts. */
export async function operationalCounts(db: Db): Promise<OperationalCounts> {
  const deliveries = await db.selectFrom('deliveries').select(['channel', 'state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['channel', 'state']).execute();
  const subscribers = await db
    .selectFrom('subscribers')
    .select(['channel', (eb) => eb.fn.countAll<number>().as('total'), (eb) => eb.fn.count<number>('confirmed_at').as('confirmed'), (eb) => eb.fn.count<number>('disabled_at').as('disabled')])
    .groupBy('channel')
    .execute();
  const pending = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('expanded_at', 'is', null).executeTakeFirstOrThrow();
  return {
    deliveries: deliveries.map((d) => ({ ...d, n: Number(d.n) })),
    subscribers: subscribers.map((s) => ({ channel: s.channel, total: Number(s.total), confirmed: Number(s.confirmed), disabled: Number(s.disabled) })),
    unexpandedNotifications: Number(pending.n),
  };
}
