import type { Insertable, Kysely, Updateable } from 'kysely';
import type {
  Database,
  Integration,
  IntegrationDelivery,
  IntegrationRule,
  IntegrationRulesTable,
  IntegrationsTable,
} from './schema.ts';

type Q = Kysely<Database>;

// Integrations (receiving URLs for monitoring tools), their ordered rules and what they received.

export async function insertIntegration(q: Q, row: Insertable<IntegrationsTable>): Promise<void> {
  await q.insertInto('integrations').values(row).execute();
}

export function integrationById(q: Q, id: string): Promise<Integration | undefined> {
  return q.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listIntegrations(q: Q): Promise<Integration[]> {
  return q.selectFrom('integrations').selectAll().orderBy('created_at').execute();
}

export async function updateIntegration(q: Q, id: string, changes: Updateable<IntegrationsTable>): Promise<void> {
  await q.updateTable('integrations').set(changes).where('id', '=', id).execute();
}

export function rulesOf(q: Q, integrationId: string): Promise<IntegrationRule[]> {
  return q
    .selectFrom('integration_rules')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .orderBy('position')
    .execute();
}

export function ruleById(q: Q, id: string): Promise<IntegrationRule | undefined> {
  return q.selectFrom('integration_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRule(q: Q, row: Insertable<IntegrationRulesTable>): Promise<void> {
  await q.insertInto('integration_rules').values(row).execute();
}

export async function updateRule(q: Q, id: string, changes: Updateable<IntegrationRulesTable>): Promise<void> {
  await q.updateTable('integration_rules').set(changes).where('id', '=', id).execute();
}

export async function deleteRule(q: Q, id: string): Promise<void> {
  await q.deleteFrom('integration_rules').where('id', '=', id).execute();
}

export async function nextRulePosition(q: Q, integrationId: string): Promise<number> {
  const row = await q
    .selectFrom('integration_rules')
    .select((eb) => eb.fn.max('position').as('last'))
    .where('integration_id', '=', integrationId)
    .executeTakeFirst();
  return Number(row?.last ?? -1) + 1;
}

/** Keeps the newest `keep` deliveries of an integration: its page shows the recent ones. */
export async function recordDelivery(
  q: Q,
  row: { integration_id: string; received_at: string; summary: string; outcome: string },
  keep = 100,
): Promise<void> {
  await q.insertInto('integration_deliveries').values(row).execute();
  await q
    .deleteFrom('integration_deliveries')
    .where('integration_id', '=', row.integration_id)
    .where(
      'id',
      'not in',
      q
        .selectFrom('integration_deliveries')
        .select('id')
        .where('integration_id', '=', row.integration_id)
        .orderBy('id', 'desc')
        .limit(keep),
    )
    .execute();
}

export function recentDeliveries(q: Q, integrationId: string, limit: number): Promise<IntegrationDelivery[]> {
  return q
    .selectFrom('integration_deliveries')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
