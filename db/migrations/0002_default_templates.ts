import { type Kysely, sql } from 'kysely';

// Wording follows the status-page messaging in the team's incident playbooks; {{components}} is
// filled with the affected components' names when the template is applied.
const DEFAULTS: Array<[id: string, name: string, kind: string, status: string, title: string, body: string]> = [
  [
    'tpl-investigating',
    'Investigating',
    'incident',
    'investigating',
    'Issues with {{components}}',
    'We are aware of issues with {{components}} and are investigating. We will post an update as soon as we know more.',
  ],
  [
    'tpl-identified',
    'Identified',
    'incident',
    'identified',
    'Issues with {{components}}',
    'We have identified the issue affecting {{components}} and are working on a fix.',
  ],
  [
    'tpl-monitoring',
    'Monitoring',
    'incident',
    'monitoring',
    'Issues with {{components}}',
    'A fix has been implemented and we are monitoring the results.',
  ],
  [
    'tpl-resolved',
    'Resolved',
    'incident',
    'resolved',
    'Issues with {{components}}',
    'This incident has been resolved. {{components}} are operating normally.',
  ],
  [
    'tpl-maintenance-scheduled',
    'Maintenance scheduled',
    'maintenance',
    'scheduled',
    'Scheduled maintenance of {{components}}',
    'We will be performing scheduled maintenance on {{components}}. We will post an update when it starts.',
  ],
  [
    'tpl-maintenance-started',
    'Maintenance started',
    'maintenance',
    'in_progress',
    'Scheduled maintenance of {{components}}',
    'Scheduled maintenance is currently in progress. We will provide updates as necessary.',
  ],
  [
    'tpl-maintenance-completed',
    'Maintenance completed',
    'maintenance',
    'completed',
    'Scheduled maintenance of {{components}}',
    'The scheduled maintenance has been completed.',
  ],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [id, name, kind, status, title, body] of DEFAULTS) {
    await sql`insert into templates (id, name, kind, status, title, body, created_at, updated_at)
      values (${id}, ${name}, ${kind}, ${status}, ${title}, ${body},
        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`.execute(db);
  }
}
