import type { Kysely } from 'kysely';
import * as repo from '../db/audit-repo.ts';
import type { AuditEntry, Database } from '../db/schema.ts';
import { CHANNEL_LABELS, maskedEmail, maskedTarget } from '../domain/channels.ts';

/** What an audit entry acted on, in words: a name and, while it exists, its console page. */
export type AuditTarget = { name: string; href: string | null; deleted: boolean };

type Found = { name: string; href: string | null };

/**
 * Names the targets of a page of audit entries: one query per kind of target for the whole page,
 * however many entries it has. A target since deleted is named by what its entry recorded
 * (`name`, `email`), else by its id.
 */
export async function auditTargets(
  q: Kysely<Database>,
  entries: readonly AuditEntry[],
): Promise<Map<number, AuditTarget | null>> {
  const idsOf = (...types: string[]) => [
    ...new Set(entries.filter((e) => e.target_id && types.includes(e.target_type)).map((e) => e.target_id as string)),
  ];
  const subscriberIds = idsOf('subscriber')
    .map(Number)
    .filter((id) => Number.isSafeInteger(id));
  const numeric = (type: string) =>
    idsOf(type)
      .map(Number)
      .filter((id) => Number.isSafeInteger(id));
  const [stakeholders, actionItems] = await Promise.all([
    repo.stakeholderNamesOf(q, numeric('stakeholder')),
    repo.actionItemNamesOf(q, idsOf('action_item')),
  ]);
  const [incidents, updates, components, groups, templates, integrations, tokens, drafts, users, invitations, subs] =
    await Promise.all([
      repo.incidentNamesOf(q, idsOf('incident', 'maintenance')),
      repo.updateIncidentsOf(q, idsOf('incident_update')),
      repo.namesIn(q, 'components', idsOf('component')),
      repo.namesIn(q, 'component_groups', idsOf('component_group')),
      repo.namesIn(q, 'templates', idsOf('template')),
      repo.namesIn(q, 'integrations', idsOf('integration')),
      repo.namesIn(q, 'api_tokens', idsOf('api_token')),
      repo.namesIn(q, 'incident_drafts', idsOf('draft')),
      repo.userNamesOf(q, idsOf('user')),
      repo.invitationEmailsOf(q, idsOf('invitation')),
      repo.subscriberAddressesOf(q, subscriberIds),
    ]);
  const named = (rows: Array<{ id: string; name: string }>, href: (id: string) => string | null) =>
    new Map<string, Found>(rows.map((r) => [r.id, { name: r.name, href: href(r.id) }]));
  const incidentPage = (id: string) => `/admin/incidents/${id}`;
  const found: Record<string, Map<string, Found>> = {
    incident: named(incidents, incidentPage),
    maintenance: named(incidents, incidentPage),
    incident_update: new Map(
      updates.map((u) => [u.id, { name: `an update of ${u.name}`, href: incidentPage(u.incident_id) }]),
    ),
    component: named(components, () => '/admin/components'),
    component_group: named(groups, () => '/admin/components'),
    template: named(templates, () => '/admin/templates'),
    integration: named(integrations, () => '/admin/integrations'),
    api_token: named(tokens, () => '/admin/tokens'),
    draft: named(drafts, (id) => `/admin/drafts#draft-${id}`),
    user: new Map(users.map((u) => [u.id, { name: u.name ? `${u.name} (${u.email})` : u.email, href: '/admin/team' }])),
    invitation: new Map(invitations.map((i) => [i.id, { name: i.email, href: '/admin/team' }])),
    stakeholder: new Map(stakeholders.map((r) => [String(r.id), { name: r.name, href: '/admin/stakeholders' }])),
    action_item: new Map(
      actionItems.map((a) => [a.id, { name: `action item “${a.description}”`, href: incidentPage(a.incident_id) }]),
    ),
    subscriber: new Map(
      subs.map((s) => [
        String(s.id),
        {
          name:
            s.channel === 'email'
              ? maskedEmail(s.email ?? '')
              : s.channel === 'push'
                ? `${CHANNEL_LABELS.push} via ${hostOf(s.push_endpoint)}`
                : `${CHANNEL_LABELS[s.channel]} ${s.target_url ? maskedTarget(s.target_url) : ''}`.trim(),
          href: '/admin/subscribers',
        },
      ]),
    ),
  };
  return new Map(
    entries.map((e): [number, AuditTarget | null] => {
      if (!e.target_id) return [e.id, null];
      const now = found[e.target_type]?.get(e.target_id);
      if (now) return [e.id, { ...now, deleted: false }];
      return [e.id, { name: recordedName(e) ?? e.target_id, href: null, deleted: true }];
    }),
  );
}

/** The name an entry recorded of its target when it was written, masked where the target is a subscriber. */
function recordedName(entry: AuditEntry): string | null {
  let details: unknown;
  try {
    details = JSON.parse(entry.details);
  } catch {
    return null;
  }
  if (!details || typeof details !== 'object') return null;
  const { name, email } = details as { name?: unknown; email?: unknown };
  if (entry.target_type === 'subscriber') return typeof email === 'string' && email ? maskedEmail(email) : null;
  if (typeof name === 'string' && name) return name;
  if (typeof email === 'string' && email) return email;
  return null;
}

function hostOf(endpoint: string | null): string {
  try {
    return endpoint ? new URL(endpoint).host : 'a push service';
  } catch {
    return 'a push service';
  }
}
