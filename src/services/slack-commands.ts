import { findUser, findUserByEmail, findUserBySlackId, setSlackUserId } from '../db/users-repo.ts';
import { COMPONENT_STATUSES, type ComponentStatus } from '../domain/component-status.ts';
import type { Impact, IncidentStatus } from '../domain/incident.ts';
import { incidentLink, publicBase } from '../domain/public-link.ts';
import type { RateLimit } from '../domain/rate-limit.ts';
import type { StatusCommand } from '../domain/slack-command.ts';
import type { Actor } from './actor.ts';
import { authorize } from './authorize.ts';
import { listComponents } from './components.ts';
import type { ServiceContext } from './context.ts';
import { approveDraft, openDrafts } from './drafts.ts';
import { Invalid, NotFound } from './errors.ts';
import type { IncidentView } from './incident-view.ts';
import { createIncident, getIncident, listIncidents } from './incidents.ts';
import { submitUpdate } from './update-approval.ts';
import { incidentByCode } from './public-incidents.ts';
import { countHit } from './rate-limits.ts';
import { readSettings } from './settings.ts';
import { iso, write } from './context.ts';
import { recordAudit } from './audit.ts';

export type SlackIncident = {
  id: string;
  code: string;
  name: string;
  status: IncidentStatus;
  impact: Impact;
  url: string;
};
export type SlackOutcome =
  | { kind: 'help' }
  | { kind: 'list'; incidents: SlackIncident[]; drafts: Array<{ id: string; name: string; impact: Impact }> }
  | {
      kind: 'result';
      action: 'created' | 'updated' | 'resolved' | 'approved' | 'held';
      incident: SlackIncident;
      message: string | null;
    };

export async function slackCommandSettings(
  ctx: ServiceContext,
): Promise<{ signingSecret: string | null; botToken: string | null; command: string }> {
  const settings = await readSettings(ctx.db);
  return {
    signingSecret: settings.slack_signing_secret,
    botToken: settings.slack_bot_token,
    command: settings.slack_command,
  };
}

/**
 * A Slack user whose Slack email (read with the page's bot token) is a member's email is linked
 * to that member, once, and the link recorded; anyone else stays unlinked.
 */
export async function linkSlackUserByEmail(
  ctx: ServiceContext,
  slackUserId: string,
  email: string,
): Promise<Actor | null> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user || user.slack_user_id) return null;
  await write(ctx, async (trx) => {
    const at = iso(ctx.now());
    await setSlackUserId(trx, user.id, slackUserId, at);
    await recordAudit(trx, { kind: 'system', label: 'slack' }, at, {
      action: 'user.slack_link',
      targetType: 'user',
      targetId: user.id,
      details: { slack_user_id: slackUserId, by: 'email' },
    });
  });
  return actorForSlackUser(ctx, slackUserId);
}

/** A signed request is taken once: the same signature again (a replay) within the window is refused. */
const SLACK_REQUEST: RateLimit = { name: 'slack-request', limit: 1, windowMs: 10 * 60_000 };

export async function firstSightOfSlackRequest(ctx: ServiceContext, signature: string): Promise<boolean> {
  return (await countHit(ctx, SLACK_REQUEST, signature)) === 0;
}

/** The Herald member a Slack user posts as, with that member's role; null until they are linked. */
export async function actorForSlackUser(ctx: ServiceContext, slackUserId: string): Promise<Actor | null> {
  const user = await findUserBySlackId(ctx.db, slackUserId);
  if (!user) return null;
  return { kind: 'user', userId: user.id, role: user.role, label: `${user.email} (Slack)`, via: 'slack' };
}

export async function slackUserIdOf(ctx: ServiceContext, actor: Actor): Promise<string | null> {
  if (actor.kind !== 'user') return null;
  return (await findUser(ctx.db, actor.userId))?.slack_user_id ?? null;
}

/** A member links the Slack user they post as (Account page, or an owner for them). */
export async function linkSlackUser(ctx: ServiceContext, actor: Actor, userId: string, slackUserId: string | null) {
  if (actor.kind !== 'user' || actor.userId !== userId) authorize(actor, 'manage_page');
  if (slackUserId !== null && !/^[UW][A-Z0-9]{2,20}$/.test(slackUserId))
    throw new Invalid('A Slack user id looks like U012AB3CD (Slack: your profile › ⋯ › Copy member ID)', [
      { field: 'slack_user_id', message: 'not a Slack member id' },
    ]);
  await write(ctx, async (trx) => {
    const at = iso(ctx.now());
    const taken = slackUserId ? await findUserBySlackId(trx, slackUserId) : undefined;
    if (taken && taken.id !== userId)
      throw new Invalid('That Slack user is linked to another member', [{ field: 'slack_user_id', message: 'taken' }]);
    await setSlackUserId(trx, userId, slackUserId, at);
    await recordAudit(trx, actor, at, {
      action: 'user.slack_link',
      targetType: 'user',
      targetId: userId,
      details: { slack_user_id: slackUserId },
    });
  });
}

const STATUS_OF_IMPACT: Record<Impact, ComponentStatus> = {
  critical: 'major_outage',
  major: 'partial_outage',
  minor: 'degraded_performance',
  none: 'operational',
};

async function slackIncident(ctx: ServiceContext, view: IncidentView): Promise<SlackIncident> {
  const settings = await readSettings(ctx.db);
  return {
    id: view.id,
    code: view.code,
    name: view.name,
    status: view.status as IncidentStatus,
    impact: view.impact,
    url: incidentLink(publicBase(settings.base_url, ctx.baseUrl), view.code),
  };
}

async function incidentOfCode(ctx: ServiceContext, code: string): Promise<IncidentView> {
  const view = await incidentByCode(ctx, code);
  if (!view || view.kind !== 'incident') throw new NotFound(`No incident with the code ${code}; try /status list`);
  return view;
}

/** One slash command, as the linked member: the same use cases, and the same roles, as the console. */
export async function runStatusCommand(
  ctx: ServiceContext,
  actor: Actor,
  command: StatusCommand,
): Promise<SlackOutcome> {
  switch (command.kind) {
    case 'help':
      return { kind: 'help' };
    case 'list': {
      const open = await listIncidents(
        ctx,
        actor,
        { open: true, kind: 'incident' },
        { page: 1, perPage: 20, offset: 0 },
      );
      const drafts = await openDrafts(ctx, actor, 10);
      return {
        kind: 'list',
        incidents: await Promise.all(open.items.map((i) => slackIncident(ctx, i))),
        drafts: drafts.map((d) => ({ id: d.id, name: d.name, impact: d.impact })),
      };
    }
    case 'create': {
      authorize(actor, 'manage_incidents');
      const components = await listComponents(ctx, actor);
      const ids = command.components.map((wanted) => {
        const found = components.find((c) => c.id === wanted || c.name.toLowerCase() === wanted.toLowerCase());
        if (!found)
          throw new Invalid(
            `No component called ${wanted}; the components are ${components.map((c) => c.name).join(', ')}`,
            [],
          );
        return found.id;
      });
      const status = STATUS_OF_IMPACT[command.impact];
      const view = await createIncident(ctx, actor, {
        name: command.title,
        impact: command.impact,
        status: 'investigating',
        body: `We are investigating ${command.title.replace(/\.$/, '')}.`,
        components: Object.fromEntries(
          ids.map((id) => [id, COMPONENT_STATUSES.includes(status) ? status : 'major_outage']),
        ),
        notify: true,
      });
      return { kind: 'result', action: 'created', incident: await slackIncident(ctx, view), message: null };
    }
    case 'update':
    case 'resolve': {
      const incident = await incidentOfCode(ctx, command.code);
      const status = command.kind === 'update' ? command.status : 'resolved';
      // Slack is one more way to post: where the page asks for approval, the update waits here too.
      const submitted = await submitUpdate(ctx, actor, incident.id, {
        status,
        body: command.message ?? 'This incident has been resolved.',
        notify: true,
      });
      return {
        kind: 'result',
        action: submitted.outcome === 'pending' ? 'held' : status === 'resolved' ? 'resolved' : 'updated',
        incident: await slackIncident(
          ctx,
          submitted.outcome === 'pending' ? await getIncident(ctx, actor, incident.id) : submitted.incident,
        ),
        message: command.message,
      };
    }
    case 'approve': {
      const view = await approveDraft(ctx, actor, command.draftId, { notify: true });
      return { kind: 'result', action: 'approved', incident: await slackIncident(ctx, view), message: null };
    }
  }
}
