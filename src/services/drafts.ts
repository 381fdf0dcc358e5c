import * as alerts from '../db/alerts-repo.ts';
import type { AlertGroup, IncidentDraft } from '../db/schema.ts';
import type { ComponentStatus } from '../domain/component-status.ts';
import type { Actor } from './actor.ts';
import { actorId } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, write } from './context.ts';
import { Conflict, NotFound } from './errors.ts';
import { createIncident } from './incidents.ts';
import type { IncidentView } from './incident-view.ts';
import type { DraftDecision } from './schemas.ts';

/** A draft as the lead sees it: what it would post, and the alerts behind it. */
export type DraftView = Omit<IncidentDraft, 'components'> & {
  components: Record<string, ComponentStatus>;
  alerts: Array<
    Pick<AlertGroup, 'name' | 'summary' | 'state' | 'url' | 'last_change_at'> & { labels: Record<string, string> }
  >;
};

const ALERTS_SHOWN = 20;

async function viewOf(q: ServiceContext['db'], draft: IncidentDraft): Promise<DraftView> {
  const rows = await alerts.alertsOfDraft(q, draft.id, ALERTS_SHOWN);
  return {
    ...draft,
    components: JSON.parse(draft.components) as Record<string, ComponentStatus>,
    alerts: rows.map((r) => ({
      name: r.name,
      summary: r.summary,
      state: r.state,
      url: r.url,
      last_change_at: r.last_change_at,
      labels: JSON.parse(r.labels) as Record<string, string>,
    })),
  };
}

/** "Suggested from alerts" on the dashboard, newest first. */
export async function openDrafts(ctx: ServiceContext, actor: Actor, limit = 20): Promise<DraftView[]> {
  authorize(actor, 'read');
  return Promise.all((await alerts.openDrafts(ctx.db, limit)).map((d) => viewOf(ctx.db, d)));
}

export async function getDraft(ctx: ServiceContext, actor: Actor, id: string): Promise<DraftView> {
  authorize(actor, 'read');
  const draft = await alerts.draftById(ctx.db, id);
  if (!draft) throw new NotFound(`Draft ${id} does not exist`);
  return viewOf(ctx.db, draft);
}

/**
 * Posts the draft, as edited, as a public incident in the approver's name: nothing an alert
 * suggests reaches the page until a person says so. The alerts behind it follow the incident.
 */
export async function approveDraft(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  decision: DraftDecision,
): Promise<IncidentView> {
  authorize(actor, 'manage_incidents');
  // Claimed first: of two approvals at once (console and Slack), one publishes, the other is told.
  const draft = await write(ctx, async (trx) => {
    const at = iso(ctx.now());
    const claimed = await alerts.claimDraft(trx, id, { state: 'approved', decided_by: actorId(actor), decided_at: at });
    if (!claimed) throw await notOpen(ctx, id);
    return claimed;
  });
  let incident: IncidentView;
  try {
    incident = await createIncident(ctx, actor, {
      name: decision.name ?? draft.name,
      body: decision.body ?? draft.body,
      impact: decision.impact ?? draft.impact,
      status: 'investigating',
      components: decision.components ?? (JSON.parse(draft.components) as Record<string, ComponentStatus>),
      notify: decision.notify,
    });
  } catch (error) {
    // Nothing was published: the draft waits again.
    await write(ctx, (trx) => alerts.updateDraft(trx, id, { state: 'open', decided_by: null, decided_at: null }));
    throw error;
  }
  await write(ctx, async (trx) => {
    const at = iso(ctx.now());
    await alerts.updateDraft(trx, id, { incident_id: incident.id, updated_at: at });
    await alerts.attachDraftAlertsToIncident(trx, id, incident.id);
    await recordAudit(trx, actor, at, {
      action: 'draft.approve',
      targetType: 'draft',
      targetId: id,
      details: { incident_id: incident.id, edited: Object.keys(decision).filter((k) => k !== 'notify') },
    });
  });
  return incident;
}

async function notOpen(ctx: ServiceContext, id: string): Promise<Error> {
  const draft = await alerts.draftById(ctx.db, id);
  return draft ? new Conflict(`This draft was already ${draft.state}`) : new NotFound(`Draft ${id} does not exist`);
}

/** Dismissed with a reason the audit log keeps; later alerts of its rule open a new draft. */
export async function dismissDraft(ctx: ServiceContext, actor: Actor, id: string, reason: string): Promise<DraftView> {
  authorize(actor, 'manage_incidents');
  await write(ctx, async (trx) => {
    const at = iso(ctx.now());
    const claimed = await alerts.claimDraft(trx, id, {
      state: 'dismissed',
      dismissed_reason: reason,
      decided_by: actorId(actor),
      decided_at: at,
    });
    if (!claimed) throw await notOpen(ctx, id);
    await recordAudit(trx, actor, at, {
      action: 'draft.dismiss',
      targetType: 'draft',
      targetId: id,
      details: { reason },
    });
  });
  return getDraft(ctx, actor, id);
}
