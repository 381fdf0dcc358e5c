import * as alerts from '../db/alerts-repo.ts';
import { findComponents } from '../db/components-repo.ts';
import { findIncident } from '../db/incidents-repo.ts';
import type { AlertGroup, Integration } from '../db/schema.ts';
import { findTemplate } from '../db/templates-repo.ts';
import type { AlertRule, NormalizedAlert } from '../domain/alerts.ts';
import { fillTemplate } from '../domain/template-fill.ts';
import { newId } from '../lib/ids.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { setComponentStatus } from './component-status.ts';
import type { ServiceContext, Trx } from './context.ts';
import { createIncident, postUpdate } from './incidents.ts';

/** An integration acts in its own name: the audit log says which tool did what. */
export function integrationActor(integration: Pick<Integration, 'name'>): Actor {
  return { kind: 'system', label: `integration: ${integration.name}` };
}

const componentNames = async (trx: Trx, ids: readonly string[]) => (await findComponents(trx, ids)).map((c) => c.name);

/** A firing alert's rule changes the components' status (never making a worse status better). */
export async function fireComponents(
  trx: Trx,
  integration: Integration,
  rule: AlertRule,
  at: string,
  touch: (...tags: string[]) => void,
): Promise<string> {
  const actor = integrationActor(integration);
  const changed: string[] = [];
  for (const component of await findComponents(trx, rule.componentIds)) {
    if (SEVERITY_ORDER.indexOf(component.status) >= SEVERITY_ORDER.indexOf(rule.componentStatus)) continue;
    if (await setComponentStatus(trx, component.id, rule.componentStatus, actor, at)) changed.push(component.name);
  }
  if (changed.length) {
    await recordAudit(trx, actor, at, {
      action: 'alert.component',
      targetType: 'integration',
      targetId: integration.id,
      details: { rule_id: rule.id, components: changed, status: rule.componentStatus },
    });
    touch('status', 'history');
  }
  return changed.length ? `${changed.join(', ')} set to ${rule.componentStatus}` : 'components already at that status';
}

/** From best to worst: an alert only ever makes a component's status worse. */
const SEVERITY_ORDER: readonly string[] = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
];

/** Every alert of the rule has resolved: its components go back to operational. */
export async function restoreComponents(
  trx: Trx,
  integration: Integration,
  rule: AlertRule,
  at: string,
  touch: (...tags: string[]) => void,
): Promise<string> {
  const actor = integrationActor(integration);
  // A component deleted since the rule was written is left out, not an error.
  for (const component of await findComponents(trx, rule.componentIds))
    await setComponentStatus(trx, component.id, 'operational', actor, at);
  await recordAudit(trx, actor, at, {
    action: 'alert.restore',
    targetType: 'integration',
    targetId: integration.id,
    details: { rule_id: rule.id, components: rule.componentIds },
  });
  touch('status', 'history');
  return 'components back to operational';
}

/**
 * A firing alert joins its rule's open draft, or opens one: a storm of alerts on one rule is one
 * draft for the lead, however many alerts it holds.
 */
export async function draftFor(
  trx: Trx,
  integration: Integration,
  rule: AlertRule,
  alert: NormalizedAlert,
  at: string,
): Promise<{ draftId: string; opened: boolean }> {
  const open = await alerts.openDraftOfRule(trx, integration.id, rule.id);
  if (open) {
    await alerts.updateDraft(trx, open.id, {
      alert_count: open.alert_count + 1,
      alerts_resolved_at: null,
      updated_at: at,
    });
    return { draftId: open.id, opened: false };
  }
  const names = await componentNames(trx, rule.componentIds);
  const template = rule.templateId ? await findTemplate(trx, rule.templateId) : undefined;
  const id = newId();
  await alerts.insertDraft(trx, {
    id,
    integration_id: integration.id,
    rule_id: rule.id,
    name: template ? fillTemplate(template.title, names) : alert.name,
    impact: rule.impact,
    components: JSON.stringify(Object.fromEntries(rule.componentIds.map((c) => [c, rule.componentStatus]))),
    body: template
      ? fillTemplate(template.body, names)
      : `We are investigating ${names.length ? `a problem with ${fillTemplate('{{components}}', names)}` : 'a problem'}: ${alert.summary}`,
    state: 'open',
    alert_count: 1,
    alerts_resolved_at: null,
    dismissed_reason: null,
    decided_by: null,
    decided_at: null,
    incident_id: null,
    created_at: at,
    updated_at: at,
  });
  await recordAudit(trx, integrationActor(integration), at, {
    action: 'draft.open',
    targetType: 'draft',
    targetId: id,
    details: { rule_id: rule.id, alert: alert.name, labels: alert.labels },
  });
  return { draftId: id, opened: true };
}

/**
 * A rule that publishes at once (opted in per rule) opens an incident from its template, or adds
 * the alert to the incident it already opened and that is still open.
 */
export async function publishFor(
  ctx: ServiceContext,
  integration: Integration,
  rule: AlertRule,
): Promise<{ incidentId: string; opened: boolean }> {
  const existing = await alerts.openIncidentOfRule(ctx.db, integration.id, rule.id);
  if (existing) return { incidentId: existing, opened: false };
  const template = rule.templateId ? await findTemplate(ctx.db, rule.templateId) : undefined;
  const names = (await findComponents(ctx.db, rule.componentIds)).map((c) => c.name);
  const incident = await createIncident(ctx, integrationActor(integration), {
    name: template ? fillTemplate(template.title, names) : 'Service disruption',
    body: template ? fillTemplate(template.body, names) : 'We are investigating a problem.',
    impact: rule.impact,
    status: 'investigating',
    components: Object.fromEntries(rule.componentIds.map((c) => [c, rule.componentStatus])),
    notify: true,
  });
  return { incidentId: incident.id, opened: true };
}

/**
 * Every alert behind a draft or an incident has resolved: the draft says so, an incident is
 * resolved only when the rule says so (otherwise the lead is told and decides).
 */
export async function alertsResolved(
  ctx: ServiceContext,
  trx: Trx,
  integration: Integration,
  rule: AlertRule,
  group: AlertGroup,
  at: string,
): Promise<{ outcome: string; resolveIncident: string | null }> {
  if (group.draft_id && (await alerts.firingCount(trx, { draftId: group.draft_id })) === 0) {
    const draft = await alerts.draftById(trx, group.draft_id);
    if (draft?.state === 'open') {
      await alerts.updateDraft(trx, draft.id, { alerts_resolved_at: at, updated_at: at });
      await recordAudit(trx, integrationActor(integration), at, {
        action: 'draft.alerts_resolved',
        targetType: 'draft',
        targetId: draft.id,
        details: { rule_id: rule.id },
      });
      return { outcome: 'draft marked: alerts resolved', resolveIncident: null };
    }
  }
  if (group.incident_id && (await alerts.firingCount(trx, { incidentId: group.incident_id })) === 0) {
    const incident = await findIncident(trx, group.incident_id);
    if (!incident || incident.status === 'resolved')
      return { outcome: 'incident already resolved', resolveIncident: null };
    if (rule.resolveAction === 'resolve') return { outcome: 'resolving the incident', resolveIncident: incident.id };
    await recordAudit(trx, integrationActor(integration), at, {
      action: 'incident.alerts_resolved',
      targetType: 'incident',
      targetId: incident.id,
      details: { rule_id: rule.id, suggestion: 'resolve' },
    });
    return { outcome: 'incident marked: alerts resolved, resolving suggested', resolveIncident: null };
  }
  return { outcome: 'other alerts still firing', resolveIncident: null };
}

/** The rule's explicit choice: the incident is resolved in the integration's name. */
export async function resolveFromAlerts(ctx: ServiceContext, integration: Integration, incidentId: string) {
  await postUpdate(ctx, integrationActor(integration), incidentId, {
    status: 'resolved',
    body: 'The alerts behind this incident have resolved; services are operating normally.',
    notify: true,
  });
}
