import { type Insertable, type Kysely, sql, type Updateable } from 'kysely';
import type { AlertGroup, AlertGroupsTable, Database, IncidentDraft, IncidentDraftsTable } from './schema.ts';

type Q = Kysely<Database>;

// Alerts as Herald tracks them (one row per fingerprint) and the drafts they open.

export function alertGroup(q: Q, integrationId: string, fingerprint: string): Promise<AlertGroup | undefined> {
  return q
    .selectFrom('alert_groups')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
}

export async function insertAlertGroup(q: Q, row: Insertable<AlertGroupsTable>): Promise<void> {
  await q.insertInto('alert_groups').values(row).execute();
}

export async function updateAlertGroup(q: Q, id: number, changes: Updateable<AlertGroupsTable>): Promise<void> {
  await q.updateTable('alert_groups').set(changes).where('id', '=', id).execute();
}

/** How many alerts behind a draft or an incident opened by a rule are still firing. */
export async function firingCount(
  q: Q,
  scope: { draftId: string } | { incidentId: string } | { integrationId: string; ruleId: string },
): Promise<number> {
  let query = q
    .selectFrom('alert_groups')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'firing');
  if ('draftId' in scope) query = query.where('draft_id', '=', scope.draftId);
  else if ('incidentId' in scope) query = query.where('incident_id', '=', scope.incidentId);
  else query = query.where('integration_id', '=', scope.integrationId).where('rule_id', '=', scope.ruleId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export function alertsOfDraft(q: Q, draftId: string, limit: number): Promise<AlertGroup[]> {
  return q
    .selectFrom('alert_groups')
    .selectAll()
    .where('draft_id', '=', draftId)
    .orderBy('last_change_at', 'desc')
    .limit(limit)
    .execute();
}

export async function insertDraft(q: Q, row: Insertable<IncidentDraftsTable>): Promise<void> {
  await q.insertInto('incident_drafts').values(row).execute();
}

export function draftById(q: Q, id: string): Promise<IncidentDraft | undefined> {
  return q.selectFrom('incident_drafts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateDraft(q: Q, id: string, changes: Updateable<IncidentDraftsTable>): Promise<void> {
  await q.updateTable('incident_drafts').set(changes).where('id', '=', id).execute();
}

/** The open draft a rule's alerts gather in, so a storm opens one draft per rule, not one per alert. */
export function openDraftOfRule(q: Q, integrationId: string, ruleId: string): Promise<IncidentDraft | undefined> {
  return q
    .selectFrom('incident_drafts')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .where('rule_id', '=', ruleId)
    .where('state', '=', 'open')
    .executeTakeFirst();
}

export function openDrafts(q: Q, limit: number): Promise<IncidentDraft[]> {
  return q
    .selectFrom('incident_drafts')
    .selectAll()
    .where('state', '=', 'open')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** The incident a publishing rule opened that is still open, so its alerts gather there. */
export function openIncidentOfRule(q: Q, integrationId: string, ruleId: string): Promise<string | undefined> {
  return q
    .selectFrom('alert_groups as g')
    .innerJoin('incidents as i', 'i.id', 'g.incident_id')
    .select('i.id')
    .where('g.integration_id', '=', integrationId)
    .where('g.rule_id', '=', ruleId)
    .where('i.status', 'not in', ['resolved', 'completed'])
    .orderBy('g.last_change_at', 'desc')
    .executeTakeFirst()
    .then((row) => row?.id);
}

/** An approved draft's alerts now belong to its incident: their resolution is the incident's news. */
export async function attachDraftAlertsToIncident(q: Q, draftId: string, incidentId: string): Promise<void> {
  await q.updateTable('alert_groups').set({ incident_id: incidentId }).where('draft_id', '=', draftId).execute();
}

/** The firing alerts of a publishing rule follow the incident it opened. */
export async function attachRuleAlertsToIncident(
  q: Q,
  integrationId: string,
  ruleId: string,
  incidentId: string,
): Promise<void> {
  await q
    .updateTable('alert_groups')
    .set({ incident_id: incidentId })
    .where('integration_id', '=', integrationId)
    .where('rule_id', '=', ruleId)
    .where('state', '=', 'firing')
    .execute();
}

/**
 * Alerts whose newest state was held back by a hold-down that has now passed, oldest change first.
 * Those still inside their hold-down are left out here, so they cannot crowd out the due ones.
 */
export function heldBackAlerts(q: Q, now: string, limit: number) {
  return q
    .selectFrom('alert_groups as g')
    .innerJoin('integration_rules as r', 'r.id', 'g.rule_id')
    .innerJoin('integrations as i', 'i.id', 'g.integration_id')
    .selectAll('g')
    .select('r.hold_down_seconds')
    .where((eb) => eb('g.received_state', '!=', eb.ref('g.state')))
    .where('i.revoked_at', 'is', null)
    .where(sql<boolean>`julianday(g.last_change_at) + r.hold_down_seconds / 86400.0 <= julianday(${now})`)
    .orderBy('g.last_change_at')
    .limit(limit)
    .execute();
}

/** Decides an open draft, only if it is still open: the state change is the claim. */
export async function claimDraft(
  q: Q,
  id: string,
  decision: Updateable<IncidentDraftsTable> & { state: 'approved' | 'dismissed'; decided_at: string },
): Promise<IncidentDraft | undefined> {
  return q
    .updateTable('incident_drafts')
    .set({ ...decision, updated_at: decision.decided_at })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .returningAll()
    .executeTakeFirst();
}
