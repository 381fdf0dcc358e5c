import { timingSafeEqual } from 'node:crypto';
import * as alerts from '../db/alerts-repo.ts';
import * as repo from '../db/integrations-repo.ts';
import { findIncident } from '../db/incidents-repo.ts';
import type { AlertGroup, Integration } from '../db/schema.ts';
import type { AlertRule, FieldMapping, IntegrationKind, NormalizedAlert } from '../domain/alerts.ts';
import { parseAlertmanager } from '../domain/alerts/alertmanager.ts';
import { InvalidFieldMapping, parseGeneric } from '../domain/alerts/generic.ts';
import { parseGrafana } from '../domain/alerts/grafana.ts';
import { InvalidAlertPayload } from '../domain/alerts/payload.ts';
import { firstMatchingRule } from '../domain/alerts/rules.ts';
import { decideAlert, settleHeldDown } from '../domain/alerts/storm.ts';
import { sha256 } from '../lib/ids.ts';
import { Semaphore } from '../lib/semaphore.ts';
import {
  alertsResolved,
  draftFor,
  fireComponents,
  publishFor,
  resolveFromAlerts,
  restoreComponents,
} from './alert-actions.ts';
import { iso, type ServiceContext, type Trx, write } from './context.ts';
import { Invalid, NotFound, Unauthorized } from './errors.ts';
import { alertRule } from './integrations.ts';

export type IntakeOutcome = { received: number; fired: number; resolved: number; ignored: number; details: string[] };

/** Which integration a request is for, if its secret is right; the same answer for every wrong one. */
export async function authenticateIntegration(
  ctx: ServiceContext,
  kind: IntegrationKind,
  id: string,
  secret: string,
): Promise<Integration> {
  const integration = await repo.integrationById(ctx.db, id);
  const given = Buffer.from(sha256(secret));
  const expected = Buffer.from(integration?.secret_hash ?? sha256(`missing:${id}`));
  const right = given.length === expected.length && timingSafeEqual(given, expected);
  if (!integration || !right || integration.kind !== kind || integration.revoked_at)
    throw new Unauthorized('Unknown or revoked integration, or a wrong secret');
  return integration;
}

function parse(integration: Integration, body: unknown): NormalizedAlert[] {
  try {
    if (integration.kind === 'alertmanager') return parseAlertmanager(body);
    if (integration.kind === 'grafana') return parseGrafana(body);
    return parseGeneric(body, JSON.parse(integration.field_mapping ?? '{}') as FieldMapping);
  } catch (error) {
    if (error instanceof InvalidAlertPayload || error instanceof InvalidFieldMapping)
      throw new Invalid(`The ${integration.kind} payload is not valid: ${error.message}`, [
        { field: '(body)', message: error.message },
      ]);
    throw error;
  }
}

/**
 * One request from a monitoring tool: each alert finds its rule (the first that matches), is
 * recorded by fingerprint (a re-send updates, never duplicates), and does what its rule says,
 * damped by the rule's hold-down. What was received and done is kept on the integration's page.
 */
export async function receiveAlerts(
  ctx: ServiceContext,
  input: { kind: IntegrationKind; id: string; secret: string; body: unknown },
): Promise<IntakeOutcome> {
  const integration = await authenticateIntegration(ctx, input.kind, input.id, input.secret);
  let received: NormalizedAlert[];
  try {
    received = parse(integration, input.body);
  } catch (error) {
    if (error instanceof Invalid) await note(ctx, integration, 'an invalid payload', error.message);
    throw error;
  }
  const rules = (await repo.rulesOf(ctx.db, integration.id)).map(alertRule);
  const outcome: IntakeOutcome = { received: received.length, fired: 0, resolved: 0, ignored: 0, details: [] };
  const followUps = new FollowUps();
  await write(ctx, async (trx, touch) => {
    const at = iso(ctx.now());
    for (const alert of received) {
      const rule = firstMatchingRule(rules, alert);
      const group = await alerts.alertGroup(trx, integration.id, alert.fingerprint);
      const decision = rule ? decideAlert(rule, await groupState(trx, group), alert, new Date(at)) : null;
      if (!rule || !decision || decision.kind === 'ignore') {
        outcome.ignored++;
        await remember(trx, integration, alert, rule ?? null, group, at, false);
        continue;
      }
      const saved = await remember(trx, integration, alert, rule, group, at, true);
      if (decision.kind === 'fire') outcome.fired++;
      else outcome.resolved++;
      const step = { ctx, trx, touch, integration, rule, alert, group: saved, at };
      outcome.details.push(await applyChange(step, decision.kind, followUps));
    }
    await repo.updateIntegration(trx, integration.id, { last_delivery_at: at });
  });
  outcome.details.push(...(await followUps.run(ctx, integration)));
  await note(
    ctx,
    integration,
    `${received.length} alert(s): ${received.filter((a) => a.state === 'firing').length} firing, ${received.filter((a) => a.state === 'resolved').length} resolved`,
    `${outcome.fired} fired, ${outcome.resolved} resolved, ${outcome.ignored} unchanged${outcome.details.length ? `; ${[...new Set(outcome.details)].join('; ')}` : ''}`,
  );
  return outcome;
}

const publishing = new Semaphore(1);

/** Publishing and resolving are use cases of their own, each in its own transaction, after the intake's. */
class FollowUps {
  #publish: AlertRule[] = [];
  #resolve = new Set<string>();

  publish(rule: AlertRule): void {
    if (!this.#publish.some((r) => r.id === rule.id)) this.#publish.push(rule);
  }

  resolve(incidentId: string): void {
    this.#resolve.add(incidentId);
  }

  async run(ctx: ServiceContext, integration: Integration): Promise<string[]> {
    // One at a time: two posts of one rule's alerts must find the incident the first one opened.
    return publishing.run(() => this.#run(ctx, integration));
  }

  async #run(ctx: ServiceContext, integration: Integration): Promise<string[]> {
    const done: string[] = [];
    for (const rule of this.#publish) {
      const { incidentId, opened } = await publishFor(ctx, integration, rule);
      await write(ctx, (trx) => alerts.attachRuleAlertsToIncident(trx, integration.id, rule.id, incidentId));
      done.push(opened ? `incident ${incidentId} published` : `added to incident ${incidentId}`);
    }
    for (const incidentId of this.#resolve) {
      await resolveFromAlerts(ctx, integration, incidentId);
      done.push(`incident ${incidentId} resolved`);
    }
    return done;
  }
}

type ChangeStep = {
  ctx: ServiceContext;
  trx: Trx;
  touch: (...tags: string[]) => void;
  integration: Integration;
  rule: AlertRule;
  alert: NormalizedAlert;
  group: AlertGroup;
  at: string;
};

/** What a change of an alert's state does, as its rule says; the same for an alert and for the sweep. */
async function applyChange(step: ChangeStep, kind: 'fire' | 'resolve', followUps: FollowUps): Promise<string> {
  const { ctx, trx, touch, integration, rule, alert, group, at } = step;
  if (kind === 'fire') {
    if (rule.action === 'component') return fireComponents(trx, integration, rule, at, touch);
    if (rule.action === 'draft') {
      const { draftId, opened } = await draftFor(trx, integration, rule, alert, at);
      await alerts.updateAlertGroup(trx, group.id, { draft_id: draftId });
      return opened ? `draft ${draftId} opened` : `added to draft ${draftId}`;
    }
    followUps.publish(rule);
    return 'publishing';
  }
  if (rule.action === 'component') {
    if ((await alerts.firingCount(trx, { integrationId: integration.id, ruleId: rule.id })) > 0)
      return 'other alerts of the rule still firing';
    return restoreComponents(trx, integration, rule, at, touch);
  }
  const result = await alertsResolved(ctx, trx, integration, rule, group, at);
  if (result.resolveIncident) followUps.resolve(result.resolveIncident);
  return result.outcome;
}

/** How many held-back alerts one sweep settles. */
const SWEEP = 200;

/**
 * The scheduler's sweep: a change a hold-down held back (above all a resolution, which
 * Alertmanager sends only once) is applied once the hold-down has passed, with no alert to carry it.
 */
export async function settleHeldBackAlerts(ctx: ServiceContext): Promise<number> {
  const held = await alerts.heldBackAlerts(ctx.db, iso(ctx.now()), SWEEP);
  let settled = 0;
  const failures: unknown[] = [];
  for (const row of held) {
    // One alert that cannot be settled must not hold back the others; the caller logs what failed.
    try {
      if (await settleOne(ctx, row)) settled++;
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length) throw new AggregateError(failures, `${failures.length} held-back alert(s) could not be settled`);
  return settled;
}

type HeldBack = Awaited<ReturnType<typeof alerts.heldBackAlerts>>[number];

/** Applies one held-back change if its hold-down has passed; answers whether it did. */
async function settleOne(ctx: ServiceContext, row: HeldBack): Promise<boolean> {
  const integration = await repo.integrationById(ctx.db, row.integration_id);
  const ruleRow = row.rule_id ? await repo.ruleById(ctx.db, row.rule_id) : undefined;
  if (!integration || !ruleRow) return false;
  const rule = alertRule(ruleRow);
  const followUps = new FollowUps();
  const detail = await write(ctx, async (trx, touch) => {
    const group = await alerts.alertGroup(trx, row.integration_id, row.fingerprint);
    const state = await groupState(trx, group);
    if (!group || !state) return null;
    const decision = settleHeldDown(rule, { ...state, receivedState: group.received_state }, ctx.now());
    if (decision.kind === 'ignore') return null;
    const at = iso(ctx.now());
    await alerts.updateAlertGroup(trx, group.id, { state: group.received_state, last_change_at: at });
    const alert = alertOfGroup(group);
    return applyChange({ ctx, trx, touch, integration, rule, alert, group, at }, decision.kind, followUps);
  });
  if (detail === null) return false;
  const more = await followUps.run(ctx, integration);
  await note(ctx, integration, 'a change held back by the hold-down', [detail, ...more].join('; '));
  return true;
}

/** The alert a stored group stands for, for the actions that word drafts from it. */
function alertOfGroup(group: AlertGroup): NormalizedAlert {
  return {
    fingerprint: group.fingerprint,
    groupKey: null,
    state: group.received_state,
    labels: JSON.parse(group.labels) as Record<string, string>,
    annotations: {},
    name: group.name,
    summary: group.summary,
    startsAt: null,
    endsAt: null,
    url: group.url,
  };
}

/** What the pure decision needs of the stored group; one no rule ever acted on counts as new. */
async function groupState(trx: Parameters<typeof alerts.alertGroup>[0], group: AlertGroup | undefined) {
  if (!group || group.rule_id === null) return null;
  const draft = group.draft_id ? await alerts.draftById(trx, group.draft_id) : undefined;
  const incident = group.incident_id ? await findIncident(trx, group.incident_id) : undefined;
  return {
    state: group.state,
    lastChangeAt: group.last_change_at,
    draftOpen: draft?.state === 'open',
    incidentOpen: !!incident && incident.status !== 'resolved',
  };
}

const NEVER = new Date(0).toISOString();

/** Records the alert's state by fingerprint; `changed` moves the time its last change counted. */
async function remember(
  trx: Parameters<typeof alerts.alertGroup>[0],
  integration: Integration,
  alert: NormalizedAlert,
  rule: AlertRule | null,
  group: AlertGroup | undefined,
  at: string,
  changed: boolean,
): Promise<AlertGroup> {
  const fields = {
    name: alert.name.slice(0, 300),
    summary: alert.summary.slice(0, 2000),
    labels: JSON.stringify(alert.labels),
    url: alert.url,
    last_seen_at: at,
    received_state: alert.state,
  };
  if (group) {
    await alerts.updateAlertGroup(trx, group.id, {
      ...fields,
      ...(changed ? { state: alert.state, last_change_at: at, rule_id: rule?.id ?? null } : {}),
    });
  } else {
    await alerts.insertAlertGroup(trx, {
      integration_id: integration.id,
      fingerprint: alert.fingerprint,
      rule_id: rule?.id ?? null,
      // An alert first seen resolved, or ignored, is recorded as it is, with no change applied,
      // and starts no hold-down (its last change is "never").
      state: alert.state,
      ...fields,
      first_seen_at: at,
      last_change_at: changed ? at : NEVER,
      draft_id: null,
      incident_id: null,
    });
  }
  const saved = await alerts.alertGroup(trx, integration.id, alert.fingerprint);
  if (!saved) throw new NotFound('the alert just recorded is gone');
  return saved;
}

async function note(ctx: ServiceContext, integration: Integration, summary: string, outcome: string): Promise<void> {
  await write(ctx, (trx) =>
    repo.recordDelivery(trx, {
      integration_id: integration.id,
      received_at: iso(ctx.now()),
      summary: summary.slice(0, 500),
      outcome: outcome.slice(0, 2000),
    }),
  );
}
