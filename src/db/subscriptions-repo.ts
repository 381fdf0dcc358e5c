import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, Subscriber, SubscribersTable } from './schema.ts';

type Q = Kysely<Database>;

// The queries of self-service subscriptions: subscribe, confirm, manage, unsubscribe, push.

/** The address's page-wide subscription, or its subscription to one incident. */
export function subscriberByEmail(
  q: Q,
  email: string,
  incidentId: string | null = null,
): Promise<Subscriber | undefined> {
  const query = q.selectFrom('subscribers').selectAll().where('email', '=', email);
  return (
    incidentId === null ? query.where('incident_id', 'is', null) : query.where('incident_id', '=', incidentId)
  ).executeTakeFirst();
}

export function subscriberById(q: Q, id: number): Promise<Subscriber | undefined> {
  return q.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

export function subscriberByConfirmHash(q: Q, hash: string): Promise<Subscriber | undefined> {
  return q.selectFrom('subscribers').selectAll().where('confirm_token_hash', '=', hash).executeTakeFirst();
}

export function subscriberByPushEndpoint(
  q: Q,
  endpoint: string,
  incidentId: string | null = null,
): Promise<Subscriber | undefined> {
  const query = q.selectFrom('subscribers').selectAll().where('push_endpoint', '=', endpoint);
  return (
    incidentId === null ? query.where('incident_id', 'is', null) : query.where('incident_id', '=', incidentId)
  ).executeTakeFirst();
}

export async function insertSubscriber(q: Q, row: Insertable<SubscribersTable>): Promise<number> {
  return (await q.insertInto('subscribers').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateSubscriber(q: Q, id: number, changes: Updateable<SubscribersTable>): Promise<void> {
  await q.updateTable('subscribers').set(changes).where('id', '=', id).execute();
}

/**
 * A browser subscribing again (same endpoint and scope) updates its keys, choice and language
 * instead of adding a row.
 */
export async function upsertPushSubscriber(
  q: Q,
  row: Insertable<SubscribersTable> & { push_endpoint: string; push_p256dh: string; push_auth: string },
): Promise<number> {
  const existing = await subscriberByPushEndpoint(q, row.push_endpoint, row.incident_id ?? null);
  if (!existing) return insertSubscriber(q, row);
  const { push_p256dh, push_auth, all_components, language, updated_at } = row;
  await updateSubscriber(q, existing.id, {
    push_p256dh,
    push_auth,
    all_components,
    ...(language ? { language } : {}),
    updated_at,
    ended_at: null,
  });
  return existing.id;
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

/** A webhook, Slack or Teams subscription of this address to this scope (an incident, or the page). */
export function subscriberByTarget(
  q: Q,
  channel: Subscriber['channel'],
  url: string,
  incidentId: string | null,
): Promise<Subscriber | undefined> {
  let query = q.selectFrom('subscribers').selectAll().where('channel', '=', channel).where('target_url', '=', url);
  query = incidentId === null ? query.where('incident_id', 'is', null) : query.where('incident_id', '=', incidentId);
  return query.executeTakeFirst();
}

/** Removes a subscription that never started (its endpoint refused the first message). */
export async function deleteUnconfirmed(q: Q, id: number): Promise<void> {
  await q.deleteFrom('subscribers').where('id', '=', id).where('confirmed_at', 'is', null).execute();
}

/**
 * Subscriptions to one incident end with it: what was recorded up to `at` still reaches them
 * (the resolution, or the postmortem), nothing after.
 */
export async function endIncidentSubscriptions(q: Q, incidentId: string, at: string): Promise<void> {
  await q
    .updateTable('subscribers')
    .set({ ended_at: at })
    .where('incident_id', '=', incidentId)
    .where('ended_at', 'is', null)
    .execute();
}
