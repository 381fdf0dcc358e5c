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

/**
 * One `component.updated` notice per component status an update changed, for webhook receivers
 * that follow components the Statuspage way; same transaction as the update.
 */
export async function enqueueComponentNotices(
  trx: Kysely<Database>,
  input: { incidentId: string; updateId: string; at: string },
): Promise<void> {
  const changes = await trx
    .selectFrom('component_status_changes as c')
    .innerJoin('components', 'components.id', 'c.component_id')
    .select('c.component_id')
    .where('c.update_id', '=', input.updateId)
    .where('components.hidden', '=', 0)
    .orderBy('c.id')
    .execute();
  if (changes.length === 0) return;
  await trx
    .insertInto('notifications')
    .values(
      changes.map((c) => ({
        incident_id: input.incidentId,
        update_id: input.updateId,
        event: 'component.updated' as const,
        component_ids: JSON.stringify([c.component_id]),
        created_at: input.at,
      })),
    )
    .execute();
}
