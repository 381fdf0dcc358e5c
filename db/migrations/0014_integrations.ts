import { type Kysely, sql } from 'kysely';

/**
 * Alerts from monitoring (Alertmanager, Grafana, any JSON) and the drafts they open for the
 * communications lead; Slack users linked to Herald users for the slash command.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('alertmanager', 'grafana', 'generic')`))
    .addColumn('name', 'text', (c) => c.notNull())
    // Only the hash: the receiving URL's secret is shown once.
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    // JSON FieldMapping, for the generic kind.
    .addColumn('field_mapping', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_delivery_at', 'text')
    .execute();

  await db.schema
    .createTable('integration_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    // JSON Matcher[]; none matches every alert.
    .addColumn('matchers', 'text', (c) => c.notNull())
    .addColumn('component_ids', 'text', (c) => c.notNull())
    .addColumn('component_status', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('component', 'draft', 'publish')`))
    .addColumn('template_id', 'text', (c) => c.references('templates.id').onDelete('set null'))
    .addColumn('hold_down_seconds', 'integer', (c) => c.notNull().defaultTo(300))
    .addColumn('resolve_action', 'text', (c) =>
      c.notNull().check(sql`resolve_action in ('restore', 'suggest', 'resolve')`),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('integration_rules_order')
    .on('integration_rules')
    .columns(['integration_id', 'position'])
    .execute();

  // A draft incident waiting for a person: opened by alerts, approved (posted as the approver),
  // edited or dismissed with a reason.
  await db.schema
    .createTable('incident_drafts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_id', 'text', (c) => c.references('integrations.id').onDelete('set null'))
    .addColumn('rule_id', 'text', (c) => c.references('integration_rules.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull())
    // JSON { componentId: status }
    .addColumn('components', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'approved', 'dismissed')`))
    .addColumn('alert_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alerts_resolved_at', 'text')
    .addColumn('dismissed_reason', 'text')
    .addColumn('decided_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'text')
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_drafts_state').on('incident_drafts').columns(['state', 'created_at']).execute();

  // One row per alert (fingerprint) an integration has seen: re-sends update it, never duplicate it.
  await db.schema
    .createTable('alert_groups')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id').onDelete('cascade'))
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.references('integration_rules.id').onDelete('set null'))
    // The state Herald acted on, and the newest one received: they differ while a hold-down
    // holds a change back, until the scheduler's sweep applies it.
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('firing', 'resolved')`))
    .addColumn('received_state', 'text', (c) => c.notNull().check(sql`received_state in ('firing', 'resolved')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_change_at', 'text', (c) => c.notNull())
    .addColumn('draft_id', 'text', (c) => c.references('incident_drafts.id').onDelete('set null'))
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id').onDelete('set null'))
    .addUniqueConstraint('alert_groups_once', ['integration_id', 'fingerprint'])
    .execute();
  await db.schema.createIndex('alert_groups_draft').on('alert_groups').column('draft_id').execute();
  await db.schema
    .createIndex('alert_groups_held')
    .on('alert_groups')
    .column('id')
    .where(sql.ref('received_state'), '!=', sql.ref('state'))
    .execute();

  // What each integration received and what Herald did, newest kept (for its page).
  await db.schema
    .createTable('integration_deliveries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id').onDelete('cascade'))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('integration_deliveries_recent')
    .on('integration_deliveries')
    .columns(['integration_id', 'id'])
    .execute();

  await db.schema.alterTable('users').addColumn('slack_user_id', 'text').execute();
  await db.schema
    .createIndex('users_slack')
    .on('users')
    .column('slack_user_id')
    .unique()
    .where(sql.ref('slack_user_id'), 'is not', null)
    .execute();
  await db.schema.alterTable('settings').addColumn('slack_signing_secret', 'text').execute();
  // Optional: lets Herald read a Slack user's email (users:read.email) to link them by it.
  await db.schema.alterTable('settings').addColumn('slack_bot_token', 'text').execute();
  await db.schema
    .alterTable('settings')
    .addColumn('slack_command', 'text', (c) => c.notNull().defaultTo('/status'))
    .execute();
}
