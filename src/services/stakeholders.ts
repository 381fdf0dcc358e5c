import * as repo from '../db/stakeholders-repo.ts';
import type { Stakeholder, StakeholderChannel } from '../db/schema.ts';
import type { Impact } from '../domain/incident.ts';
import { impactList, severityLabelsOf, severityName } from '../domain/severity.ts';
import { impactsColumn, stakeholderSubject, type StakeholderPayload } from '../domain/stakeholder-message.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, write } from './context.ts';
import { Invalid, NotFound } from './errors.ts';
import { stakeholderCreate, type StakeholderInput, type StakeholderPatch } from './schemas.ts';
import { readSettings } from './settings.ts';
import { validate } from './validate.ts';

/**
 * A stakeholder as the console and the API show it. An incoming-webhook URL lets anyone who holds
 * it post into the channel: only owners see it whole, others see its host.
 */
export type StakeholderView = Omit<Stakeholder, 'impacts'> & { impacts: Impact[] };

export type StakeholderRecipient = Pick<Stakeholder, 'name' | 'channel' | 'target'>;

/**
 * How a use case reaches a stakeholder at once (the "send test" button): the composition root's
 * sender (src/notify/stakeholder-sender.ts). Answers null when the message went, or why not.
 */
export interface StakeholderCourier {
  deliver(recipient: StakeholderRecipient, message: StakeholderPayload): Promise<string | null>;
}

/** An incoming-webhook URL's path is its secret: the audit log and non-owners see its origin only. */
export function maskedTarget(channel: StakeholderChannel, target: string): string {
  if (channel === 'email' || !URL.canParse(target)) return target;
  return `${new URL(target).origin}/…`;
}

function viewOf(row: Stakeholder, actor: Actor): StakeholderView {
  const whole = actor.kind === 'system' || actor.role === 'owner';
  return {
    ...row,
    target: whole ? row.target : maskedTarget(row.channel, row.target),
    impacts: impactList(row.impacts),
  };
}

/** A Slack or Teams URL must pass the outbound rules (https, public addresses, the allowlist) now. */
async function checkTarget(ctx: ServiceContext, channel: StakeholderChannel, target: string): Promise<void> {
  if (channel === 'email') return;
  if (!ctx.probe) throw new Invalid('This server does not post to Slack or Teams', []);
  const refused = await ctx.probe.check(target);
  if (refused) throw new Invalid(`The address cannot be used: ${refused}`, [{ field: 'target', message: refused }]);
}

async function requireStakeholder(q: ServiceContext['db'], id: number): Promise<Stakeholder> {
  const row = Number.isSafeInteger(id) ? await repo.stakeholderById(q, id) : undefined;
  if (!row) throw new NotFound(`Stakeholder ${id} does not exist`);
  return row;
}

export async function listStakeholders(ctx: ServiceContext, actor: Actor): Promise<StakeholderView[]> {
  authorize(actor, 'read');
  return (await repo.listStakeholders(ctx.db)).map((row) => viewOf(row, actor));
}

export async function createStakeholder(
  ctx: ServiceContext,
  actor: Actor,
  input: StakeholderInput,
): Promise<StakeholderView> {
  authorize(actor, 'manage_page');
  await checkTarget(ctx, input.channel, input.target);
  return write(ctx, async (trx) => {
    const at = iso(ctx.now());
    const id = await repo.insertStakeholder(trx, {
      name: input.name,
      channel: input.channel,
      target: input.target,
      impacts: impactsColumn(input.impacts),
      created_at: at,
      updated_at: at,
    });
    await recordAudit(trx, actor, at, {
      action: 'stakeholder.create',
      targetType: 'stakeholder',
      targetId: String(id),
      details: {
        name: input.name,
        channel: input.channel,
        target: maskedTarget(input.channel, input.target),
        impacts: input.impacts,
      },
    });
    return viewOf(await requireStakeholder(trx, id), actor);
  });
}

export async function updateStakeholder(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  patch: StakeholderPatch,
): Promise<StakeholderView> {
  authorize(actor, 'manage_page');
  const current = await requireStakeholder(ctx.db, id);
  // The channel stays; a new target must suit it, checked by the same schema as a new stakeholder.
  const merged = validate(
    stakeholderCreate,
    {
      name: patch.name ?? current.name,
      channel: current.channel,
      target: patch.target ?? current.target,
      impacts: patch.impacts ?? impactList(current.impacts),
    },
    'stakeholder',
  );
  if (merged.target !== current.target) await checkTarget(ctx, merged.channel, merged.target);
  return write(ctx, async (trx) => {
    const before = await requireStakeholder(trx, id);
    const at = iso(ctx.now());
    // Only what the patch names is written: a field changed by someone else since the check stays theirs.
    await repo.updateStakeholder(trx, id, {
      ...(patch.name !== undefined ? { name: merged.name } : {}),
      ...(patch.target !== undefined ? { target: merged.target } : {}),
      ...(patch.impacts !== undefined ? { impacts: impactsColumn(merged.impacts) } : {}),
      updated_at: at,
    });
    await recordAudit(trx, actor, at, {
      action: 'stakeholder.update',
      targetType: 'stakeholder',
      targetId: String(id),
      details: {
        name: { from: before.name, to: merged.name },
        impacts: { from: impactList(before.impacts), to: merged.impacts },
        ...(merged.target === before.target
          ? {}
          : {
              target: {
                from: maskedTarget(before.channel, before.target),
                to: maskedTarget(merged.channel, merged.target),
              },
            }),
      },
    });
    return viewOf(await requireStakeholder(trx, id), actor);
  });
}

/** Removes a stakeholder: nothing more goes to it, and what it was told stays on record. */
export async function removeStakeholder(ctx: ServiceContext, actor: Actor, id: number): Promise<void> {
  authorize(actor, 'manage_page');
  await write(ctx, async (trx) => {
    const row = await requireStakeholder(trx, id);
    const at = iso(ctx.now());
    await repo.deleteStakeholder(trx, id, at);
    await recordAudit(trx, actor, at, {
      action: 'stakeholder.remove',
      targetType: 'stakeholder',
      targetId: String(id),
      details: { name: row.name, channel: row.channel, target: maskedTarget(row.channel, row.target) },
    });
  });
}

/** Sends a stakeholder a test message now, through the same sender as incident messages. */
export async function testStakeholder(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  courier: StakeholderCourier,
): Promise<{ delivered: boolean; error: string | null }> {
  authorize(actor, 'manage_page');
  const row = await requireStakeholder(ctx.db, id);
  const settings = await readSettings(ctx.db);
  const labels = severityLabelsOf(settings);
  const impacts = impactList(row.impacts);
  const heard = impacts.map((i) => severityName(labels, i)).join(', ');
  const at = iso(ctx.now());
  const message: StakeholderPayload = {
    event: 'test',
    subject: stakeholderSubject('test', settings.page_name, `${row.name} will hear about ${heard} incidents`),
    pageName: settings.page_name,
    severity: heard,
    title: `Test message to ${row.name}`,
    status: 'Test',
    body: `This is a test from the ${settings.page_name} status page console. Internal updates about ${heard} incidents will arrive here.`,
    author: actor.label,
    internal: true,
    at,
    timeZone: settings.time_zone,
    path: '/admin/stakeholders',
  };
  const error = await courier.deliver(row, message);
  await write(ctx, (trx) =>
    recordAudit(trx, actor, at, {
      action: 'stakeholder.test',
      targetType: 'stakeholder',
      targetId: String(id),
      details: { name: row.name, delivered: error === null, ...(error ? { error } : {}) },
    }),
  );
  return { delivered: error === null, error };
}
