import { componentIdsOf } from './incidents-repo.ts';
import type { Kysely } from 'kysely';
import type { Database, NotifyEvent } from './schema.ts';

/**
 * Records the intent to notify inside the transaction of the update that causes it: the post
 * commits with its notification or not at all, and costs the same with ten or a million
 * subscribers. The worker (src/notify/worker.ts) expands it into deliveries.
 */
export async function enqueueNotification(
  trx: Kysely<Database>,
  input: { incidentId: string; updateId: string | null; event: NotifyEvent; at: string },
): Promise<void> {
  const components = (await componentIdsOf(trx, [input.incidentId])).get(input.incidentId) ?? [];
  await trx
    .insertInto('notifications')
    .values({
      incident_id: input.incidentId,
      update_id: input.updateId,
      event: input.event,
      component_ids: JSON.stringify(components),
      created_at: input.at,
    })
    .execute();
}
