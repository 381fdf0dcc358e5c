import { findComponents } from '../db/components-repo.ts';
import * as repo from '../db/integrations-repo.ts';
import type { Integration, IntegrationDelivery, IntegrationRule } from '../db/schema.ts';
import { findTemplate } from '../db/templates-repo.ts';
import type { AlertRule, FieldMapping, IntegrationKind, Matcher } from '../domain/alerts.ts';
import { publicBase } from '../domain/public-link.ts';
import { checkMapping } from '../domain/alerts/generic.ts';
import { matcherProblem } from '../domain/alerts/rules.ts';
import { newId, newSecret, sha256 } from '../lib/ids.ts';
import { type Actor, actorId } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, type Trx, write } from './context.ts';
import { Invalid, NotFound } from './errors.ts';
import type { IntegrationInput, RuleInput } from './schemas.ts';
import { readSettings } from './settings.ts';

/** What the console and the API show of an integration: never its secret, which is shown once. */
export type IntegrationView = Omit<Integration, 'secret_hash' | 'field_mapping'> & {
  field_mapping: FieldMapping | null;
  rules: RuleView[];
  recent_deliveries: IntegrationDelivery[];
};

export type RuleView = Omit<IntegrationRule, 'matchers' | 'component_ids'> & {
  matchers: Matcher[];
  component_ids: string[];
};

export function ruleView(row: IntegrationRule): RuleView {
  return {
    ...row,
    matchers: JSON.parse(row.matchers) as Matcher[],
    component_ids: JSON.parse(row.component_ids) as string[],
  };
}

/** The rule as the pure matching and decisions take it. */
export function alertRule(row: IntegrationRule): AlertRule {
  const view = ruleView(row);
  return {
    id: row.id,
    matchers: view.matchers,
    componentIds: view.component_ids,
    componentStatus: row.component_status,
    impact: row.impact,
    action: row.action,
    templateId: row.template_id,
    holdDownSeconds: row.hold_down_seconds,
    resolveAction: row.resolve_action,
  };
}

/** The receiving URL: the secret is its last part (or, for tools that prefer, a bearer token). */
export async function receivingUrl(ctx: ServiceContext, integration: Pick<Integration, 'id' | 'kind'>, secret: string) {
  const settings = await readSettings(ctx.db);
  return `${publicBase(settings.base_url, ctx.baseUrl)}/api/integrations/${integration.kind}/${integration.id}/${secret}`;
}

export async function createIntegration(
  ctx: ServiceContext,
  actor: Actor,
  input: IntegrationInput,
): Promise<{ integration: IntegrationView; secret: string; url: string }> {
  authorize(actor, 'manage_page');
  if (input.kind === 'generic' && !input.field_mapping)
    throw new Invalid('A generic integration needs a field mapping', [
      { field: 'field_mapping', message: 'say where the name and state are' },
    ]);
  const mappingProblems = input.field_mapping ? checkMapping(input.field_mapping) : [];
  if (mappingProblems.length)
    throw new Invalid(
      'The field mapping cannot be used',
      mappingProblems.map((message) => ({ field: 'field_mapping', message })),
    );
  const secret = newSecret('hin_');
  const integration = await write(ctx, async (trx) => {
    const at = iso(ctx.now());
    const id = newId();
    await repo.insertIntegration(trx, {
      id,
      kind: input.kind,
      name: input.name,
      secret_hash: sha256(secret),
      field_mapping: input.kind === 'generic' && input.field_mapping ? JSON.stringify(input.field_mapping) : null,
      created_by: actorId(actor),
      created_at: at,
      revoked_at: null,
      last_delivery_at: null,
    });
    await recordAudit(trx, actor, at, {
      action: 'integration.create',
      targetType: 'integration',
      targetId: id,
      details: { name: input.name, kind: input.kind },
    });
    return viewOf(trx, id);
  });
  return { integration, secret, url: await receivingUrl(ctx, integration, secret) };
}

async function viewOf(q: Trx | ServiceContext['db'], id: string): Promise<IntegrationView> {
  const row = await repo.integrationById(q, id);
  if (!row) throw new NotFound(`Integration ${id} does not exist`);
  const { secret_hash: _hash, field_mapping, ...rest } = row;
  const [rules, recent] = await Promise.all([repo.rulesOf(q, id), repo.recentDeliveries(q, id, 20)]);
  return {
    ...rest,
    field_mapping: field_mapping ? (JSON.parse(field_mapping) as FieldMapping) : null,
    rules: rules.map(ruleView),
    recent_deliveries: recent,
  };
}

export async function listIntegrations(ctx: ServiceContext, actor: Actor): Promise<IntegrationView[]> {
  authorize(actor, 'read');
  const rows = await repo.listIntegrations(ctx.db);
  return Promise.all(rows.map((r) => viewOf(ctx.db, r.id)));
}

export async function getIntegration(ctx: ServiceContext, actor: Actor, id: string): Promise<IntegrationView> {
  authorize(actor, 'read');
  return viewOf(ctx.db, id);
}

/** Its URL stops working at once; its rules and history stay for the record. */
export async function revokeIntegration(ctx: ServiceContext, actor: Actor, id: string): Promise<IntegrationView> {
  authorize(actor, 'manage_page');
  return write(ctx, async (trx) => {
    const row = await repo.integrationById(trx, id);
    if (!row) throw new NotFound(`Integration ${id} does not exist`);
    const at = iso(ctx.now());
    if (!row.revoked_at) await repo.updateIntegration(trx, id, { revoked_at: at });
    await recordAudit(trx, actor, at, {
      action: 'integration.revoke',
      targetType: 'integration',
      targetId: id,
      details: { name: row.name },
    });
    return viewOf(trx, id);
  });
}

async function checkRule(trx: Trx, input: RuleInput): Promise<void> {
  const badMatchers = input.matchers
    .map((m) => ({ m, problem: matcherProblem(m) }))
    .filter((x): x is { m: Matcher; problem: string } => x.problem !== null);
  if (badMatchers.length)
    throw new Invalid(
      'A matcher cannot be used',
      badMatchers.map(({ m, problem }) => ({ field: 'matchers', message: `${m.label}${m.op}${m.value}: ${problem}` })),
    );
  const found = new Set((await findComponents(trx, input.component_ids)).map((c) => c.id));
  const unknown = input.component_ids.filter((id) => !found.has(id));
  if (unknown.length)
    throw new Invalid(
      'Unknown component',
      unknown.map((id) => ({ field: 'component_ids', message: `no component ${id}` })),
    );
  if (input.action === 'publish' && !input.template_id)
    throw new Invalid('A rule that publishes at once needs a template to word the incident', [
      { field: 'template_id', message: 'choose a template' },
    ]);
  if (input.template_id && !(await findTemplate(trx, input.template_id)))
    throw new Invalid('Unknown template', [{ field: 'template_id', message: `no template ${input.template_id}` }]);
  if (input.action === 'component' && input.resolve_action === 'resolve')
    throw new Invalid('A rule that only changes components has no incident to resolve', [
      { field: 'resolve_action', message: 'use restore' },
    ]);
}

function ruleColumns(input: RuleInput) {
  return {
    matchers: JSON.stringify(input.matchers),
    component_ids: JSON.stringify(input.component_ids),
    component_status: input.component_status,
    impact: input.impact,
    action: input.action,
    template_id: input.template_id ?? null,
    hold_down_seconds: input.hold_down_seconds,
    resolve_action: input.resolve_action,
  };
}

export async function addRule(ctx: ServiceContext, actor: Actor, integrationId: string, input: RuleInput) {
  authorize(actor, 'manage_page');
  return write(ctx, async (trx) => {
    if (!(await repo.integrationById(trx, integrationId)))
      throw new NotFound(`Integration ${integrationId} does not exist`);
    await checkRule(trx, input);
    const at = iso(ctx.now());
    const id = newId();
    await repo.insertRule(trx, {
      id,
      integration_id: integrationId,
      position: await repo.nextRulePosition(trx, integrationId),
      ...ruleColumns(input),
      created_at: at,
      updated_at: at,
    });
    await recordAudit(trx, actor, at, {
      action: 'integration.rule.add',
      targetType: 'integration',
      targetId: integrationId,
      details: { rule_id: id, ...input },
    });
    return viewOf(trx, integrationId);
  });
}

export async function updateRule(
  ctx: ServiceContext,
  actor: Actor,
  integrationId: string,
  ruleId: string,
  input: RuleInput,
) {
  authorize(actor, 'manage_page');
  return write(ctx, async (trx) => {
    const rule = await repo.ruleById(trx, ruleId);
    if (!rule || rule.integration_id !== integrationId) throw new NotFound(`Rule ${ruleId} does not exist`);
    await checkRule(trx, input);
    const at = iso(ctx.now());
    await repo.updateRule(trx, ruleId, { ...ruleColumns(input), updated_at: at });
    await recordAudit(trx, actor, at, {
      action: 'integration.rule.update',
      targetType: 'integration',
      targetId: integrationId,
      details: { rule_id: ruleId, ...input },
    });
    return viewOf(trx, integrationId);
  });
}

export async function deleteRule(ctx: ServiceContext, actor: Actor, integrationId: string, ruleId: string) {
  authorize(actor, 'manage_page');
  return write(ctx, async (trx) => {
    const rule = await repo.ruleById(trx, ruleId);
    if (!rule || rule.integration_id !== integrationId) throw new NotFound(`Rule ${ruleId} does not exist`);
    const at = iso(ctx.now());
    await repo.deleteRule(trx, ruleId);
    await recordAudit(trx, actor, at, {
      action: 'integration.rule.delete',
      targetType: 'integration',
      targetId: integrationId,
      details: { rule_id: ruleId },
    });
    return viewOf(trx, integrationId);
  });
}

export type { IntegrationKind };
