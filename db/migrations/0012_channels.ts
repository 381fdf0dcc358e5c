import { type Kysely, sql } from 'kysely';

const COLUMNS = [
  'id',
  'channel',
  'email',
  'push_endpoint',
  'push_p256dh',
  'push_auth',
  'all_components',
  'confirmed_at',
  'confirm_token_hash',
  'confirm_expires_at',
  'confirm_sent_at',
  'link_version',
  'bounce_count',
  'disabled_at',
  'source',
  'created_at',
  'updated_at',
].join(', ');

/**
 * Webhook, Slack and Teams subscribers, and subscriptions to one incident.
 *
 * SQLite cannot widen a CHECK constraint, so `subscribers` is rebuilt (the documented
 * create-copy-drop-rename procedure). Foreign keys are off while it happens, or dropping the
 * old table would cascade into subscriber_components and deliveries; the migrator runs
 * SQLite migrations on one connection outside a transaction, so the pragma takes effect and
 * the rebuild is its own transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await rebuildSubscribers(db);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error(`foreign keys broken by the rebuild: ${JSON.stringify(broken.rows)}`);
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

async function rebuildSubscribers(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table subscribers_next (
      id integer primary key autoincrement,
      channel text not null check (channel in ('email', 'push', 'webhook', 'slack', 'teams')),
      email text,
      push_endpoint text,
      push_p256dh text,
      push_auth text,
      -- The https address a webhook, Slack or Teams delivery is posted to.
      target_url text,
      -- A webhook's Standard Webhooks secret (whsec_…): Herald signs with it, so it is kept as given.
      signing_secret text,
      -- Set for a subscription to one incident; it ends by itself when the incident is over.
      incident_id text references incidents (id) on delete cascade,
      ended_at text,
      all_components integer default 1 not null,
      confirmed_at text,
      confirm_token_hash text,
      confirm_expires_at text,
      confirm_sent_at text,
      link_version integer default 1 not null,
      bounce_count integer default 0 not null,
      disabled_at text,
      -- Why a subscription stopped receiving (its channel is gone, too many bounces), for people.
      disabled_reason text,
      -- Stopped by the page's team: only the team resumes it, not its manage link.
      disabled_by_team integer default 0 not null,
      source text default 'form' not null,
      created_at text not null,
      updated_at text not null
    )`.execute(db);
  await sql.raw(`insert into subscribers_next (${COLUMNS}) select ${COLUMNS} from subscribers`).execute(db);
  // AUTOINCREMENT's high-water mark goes with the old table: without it, ids of deleted
  // subscribers would be given out again, and an old manage link (an HMAC of id and version)
  // would open a stranger's subscription.
  const { rows } = await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'subscribers'`.execute(db);
  await sql`drop table subscribers`.execute(db);
  await sql`alter table subscribers_next rename to subscribers`.execute(db);
  const seq = rows[0]?.seq ?? 0;
  await sql`delete from sqlite_sequence where name = 'subscribers'`.execute(db);
  await sql`insert into sqlite_sequence (name, seq) values ('subscribers', ${seq})`.execute(db);

  // One page-wide subscription per address, plus one per incident followed on its own.
  await sql`create unique index subscribers_email on subscribers (email, coalesce(incident_id, ''))
    where email is not null`.execute(db);
  await sql`create unique index subscribers_push on subscribers (push_endpoint, coalesce(incident_id, ''))
    where push_endpoint is not null`.execute(db);
  await sql`create unique index subscribers_target on subscribers (channel, target_url, coalesce(incident_id, ''))
    where target_url is not null`.execute(db);
  await sql`create index subscribers_confirm on subscribers (confirm_token_hash)`.execute(db);
  await sql`create index subscribers_incident on subscribers (incident_id) where incident_id is not null`.execute(db);
}
