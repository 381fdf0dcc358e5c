import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Signs subscribers' manage and unsubscribe links (HMAC), so those links need no stored token.
  await db.schema.alterTable('settings').addColumn('link_secret', 'text').execute();
  await sql`update settings set link_secret = lower(hex(randomblob(32)))`.execute(db);

  await db.schema
    .createTable('subscribers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'push')`))
    .addColumn('email', 'text')
    .addColumn('push_endpoint', 'text')
    .addColumn('push_p256dh', 'text')
    .addColumn('push_auth', 'text')
    .addColumn('all_components', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('confirmed_at', 'text')
    .addColumn('confirm_token_hash', 'text')
    .addColumn('confirm_expires_at', 'text')
    .addColumn('confirm_sent_at', 'text')
    .addColumn('link_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('bounce_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_at', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('form'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('subscribers_email')
    .on('subscribers')
    .column('email')
    .unique()
    .where(sql.ref('email'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('subscribers_push')
    .on('subscribers')
    .column('push_endpoint')
    .unique()
    .where(sql.ref('push_endpoint'), 'is not', null)
    .execute();
  await db.schema.createIndex('subscribers_confirm').on('subscribers').column('confirm_token_hash').execute();

  await db.schema
    .createTable('subscriber_components')
    .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('component_id', 'text', (c) => c.notNull().references('components.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('subscriber_components_pk', ['subscriber_id', 'component_id'])
    .execute();
  await db.schema
    .createIndex('subscriber_components_component')
    .on('subscriber_components')
    .columns(['component_id', 'subscriber_id'])
    .execute();

  // One row per notifying event, written in the same transaction as the event itself.
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('update_id', 'text', (c) => c.references('incident_updates.id').onDelete('set null'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('component_ids', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expand_cursor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expanded_at', 'text')
    .execute();
  await db.schema.createIndex('notifications_pending').on('notifications').column('expanded_at').execute();
  await db.schema.createIndex('notifications_incident').on('notifications').column('incident_id').execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('notification_id', 'integer', (c) => c.notNull().references('notifications.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'sending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addUniqueConstraint('deliveries_once', ['notification_id', 'subscriber_id', 'channel'])
    .execute();
  await db.schema.createIndex('deliveries_due').on('deliveries').columns(['state', 'next_attempt_at']).execute();
}
