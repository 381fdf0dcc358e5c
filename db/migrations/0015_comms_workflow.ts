import { type Kysely, sql } from 'kysely';

/**
 * The communications lead's workflow from the response playbooks: severity names, internal notes
 * and approvals beside the public timeline, incident roles, stakeholder lists with their own
 * cadence, the post-incident review and its action items.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Severity names per impact (an empty label: none shown), the internal update cadence for the
  // team (null: no internal clock at that impact), which impacts need a second person's approval
  // before a public update goes out, and how many business days the review may take.
  const settingsColumns: Array<[string, 'text' | 'integer', string | number | null]> = [
    ['severity_critical_label', 'text', 'P1 · Critical'],
    ['severity_major_label', 'text', 'P2 · High'],
    ['severity_minor_label', 'text', 'P3 · Medium'],
    ['severity_none_label', 'text', 'P4 · Low'],
    ['severity_public', 'integer', 0],
    ['internal_cadence_critical_minutes', 'integer', 30],
    ['internal_cadence_major_minutes', 'integer', 30],
    ['internal_cadence_minor_minutes', 'integer', null],
    ['internal_cadence_none_minutes', 'integer', null],
    ['approval_impacts', 'text', ''],
    ['review_business_days', 'integer', 5],
  ];
  for (const [name, type, value] of settingsColumns) {
    await db.schema
      .alterTable('settings')
      .addColumn(name, type, (c) => (value === null ? c : c.notNull().defaultTo(value)))
      .execute();
  }

  // The review's date, set when the incident is resolved; "nothing new" acknowledgements of the
  // public clock; when the last internal update went to the stakeholders.
  await db.schema.alterTable('incidents').addColumn('review_due_on', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('update_acknowledged_at', 'text').execute();
  // The console's list of reviews due reads by date.
  await db.schema.createIndex('incidents_review_due').on('incidents').columns(['review_due_on']).execute();

  // Everything on the team's side of the timeline: internal notes, changes of title, impact and
  // roles, approvals, acknowledgements. Never read by anything public.
  await db.schema
    .createTable('incident_log')
    // Entries written in one transaction share a time: the sequence keeps them in the order written.
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // JSON: what changed ({ from, to }), which pending update, which role.
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_log_by_incident')
    .on('incident_log')
    .columns(['incident_id', 'created_at'])
    .execute();

  // A public update waiting for a second person: it is written to incident_updates only when
  // approved, so nothing public can ever read it before.
  await db.schema
    .createTable('pending_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    // JSON: the update as posted (status, body, notify, components, impact).
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('requested_label', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('waiting')
        .check(sql`state in ('waiting', 'approved', 'rejected', 'withdrawn')`),
    )
    .addColumn('decided_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_label', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('reason', 'text')
    .addColumn('update_id', 'text')
    .execute();
  await db.schema
    .createIndex('pending_updates_by_incident')
    .on('pending_updates')
    .columns(['incident_id', 'state'])
    .execute();

  await db.schema
    .createTable('incident_roles')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('commander', 'technical_lead', 'communications_lead', 'scribe')`),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_roles_pk', ['incident_id', 'role'])
    .execute();

  // Internal recipients (the CTO, customer success, an #incidents channel) by severity.
  await db.schema
    .createTable('stakeholders')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'slack', 'teams')`))
    // An email address, or a Slack or Teams incoming-webhook URL.
    .addColumn('target', 'text', (c) => c.notNull())
    // Comma-separated impacts this recipient hears about.
    .addColumn('impacts', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // Removed recipients stay, so the record of what they were told does.
    .addColumn('removed_at', 'text')
    .execute();

  // One message per stakeholder and incident event, written in the event's transaction and sent
  // by the worker; kept once sent, so "who was told" is answerable.
  await db.schema
    .createTable('stakeholder_messages')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('stakeholder_id', 'integer', (c) => c.notNull().references('stakeholders.id').onDelete('cascade'))
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    // JSON: the message as rendered when the event happened (subject, text).
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('failed_at', 'text')
    .execute();
  await db.schema
    .createIndex('stakeholder_messages_due')
    .on('stakeholder_messages')
    .columns(['next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('stakeholder_messages_by_incident')
    .on('stakeholder_messages')
    .columns(['incident_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('action_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    // Who owns it when it is not a member (a team), or the member's name when they leave.
    .addColumn('owner_label', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text')
    .addColumn('priority', 'text', (c) => c.notNull().check(sql`priority in ('high', 'medium', 'low')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'in_progress', 'done')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .execute();
  await db.schema.createIndex('action_items_by_state').on('action_items').columns(['state', 'due_on']).execute();
  await db.schema.createIndex('action_items_by_incident').on('action_items').columns(['incident_id']).execute();
  await db.schema
    .createIndex('pending_updates_waiting')
    .on('pending_updates')
    .columns(['state', 'requested_at'])
    .execute();
  await db.schema
    .createIndex('stakeholder_messages_by_recipient')
    .on('stakeholder_messages')
    .columns(['stakeholder_id'])
    .execute();

  // The default templates gain what the playbooks' messages carry (the next update's time) where
  // they are still as shipped; a lead's own wording is left alone.
  const shipped: Array<[id: string, before: string, after: string]> = [
    [
      'tpl-investigating',
      'We are aware of issues with {{components}} and are investigating. We will post an update as soon as we know more.',
      'We are aware of issues with {{components}} and are investigating. We will post an update by {{next_update}}.',
    ],
    [
      'tpl-identified',
      'We have identified the issue affecting {{components}} and are working on a fix.',
      'We have identified the issue affecting {{components}} and are working on a fix. Next update by {{next_update}}.',
    ],
    [
      'tpl-monitoring',
      'A fix has been implemented and we are monitoring the results.',
      'A fix has been implemented for {{components}} and we are monitoring the results. Next update by {{next_update}}.',
    ],
  ];
  for (const [id, before, after] of shipped) {
    await sql`update templates set body = ${after} where id = ${id} and body = ${before}`.execute(db);
  }
}
