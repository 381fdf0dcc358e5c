import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, Subscriber, SubscribersTable } from './schema.ts';

type Q = Kysely<Database>;

// The queries of self-service subscriptions: subscribe, confirm, manage, unsubscribe, push.

export function subscriberByEmail(q: Q, email: string): Promise<Subscriber | undefined> {
  return q.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();
}

export function subscriberById(q: Q, id: number): Promise<Subscriber | undefined> {
  return q.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

export function subscriberByConfirmHash(q: Q, hash: string): Promise<Subscriber | undefined> {
  return q.selectFrom('subscribers').selectAll().where('confirm_token_hash', '=', hash).executeTakeFirst();
}

export function subscriberByPushEndpoint(q: Q, endpoint: string): Promise<Subscriber | undefined> {
  return q.selectFrom('subscribers').selectAll().where('push_endpoint', '=', endpoint).executeTakeFirst();
}

export async function insertSubscriber(q: Q, row: Insertable<SubscribersTable>): Promise<number> {
  return (await q.insertInto('subscribers').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateSubscriber(q: Q, id: number, changes: Updateable<SubscribersTable>): Promise<void> {
  await q.updateTable('subscribers').set(changes).where('id', '=', id).execute();
}

/** A browser subscribing again (same endpoint) updates its keys and choice instead of adding a row. */
export async function upsertPushSubscriber(
  q: Q,
  row: Insertable<SubscribersTable> & { push_endpoint: string; push_p256dh: string; push_auth: string },
): Promise<number> {
  const { push_p256dh, push_auth, all_components, updated_at } = row;
  const saved = await q
    .insertInto('subscribers')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('push_endpoint')
        .where('push_endpoint', 'is not', null)
        .doUpdateSet({ push_p256dh, push_auth, all_components, updated_at }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return saved.id;
}

export async function deleteSubscriber(q: Q, id: number): Promise<void> {
  await q.deleteFrom('subscribers').where('id', '=', id).execute();
}

export async function chosenComponentIds(q: Q, subscriberId: number): Promise<string[]> {
  return (
    await q
      .selectFrom('subscriber_components')
      .select('component_id')
      .where('subscriber_id', '=', subscriberId)
      .execute()
  ).map((c) => c.component_id);
}

/** Replaces a subscriber's chosen components; none stands for "all components". */
export async function setChosenComponents(q: Q, subscriberId: number, componentIds: readonly string[]): Promise<void> {
  await q.deleteFrom('subscriber_components').where('subscriber_id', '=', subscriberId).execute();
  if (componentIds.length === 0) return;
  await q
    .insertInto('subscriber_components')
    .values([...new Set(componentIds)].map((component_id) => ({ subscriber_id: subscriberId, component_id })))
    .execute();
}
