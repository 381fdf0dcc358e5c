import * as repo from '../db/action-items-repo.ts';
import type { Settings } from '../db/schema.ts';
import { defaultReviewDate } from '../domain/business-days.ts';
import type { AnyIncidentStatus, IncidentKind } from '../domain/incident.ts';
import { dayOf } from '../domain/uptime.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, write } from './context.ts';
import type { IncidentView } from './incident-view.ts';
import { requireIncident, viewOf } from './incidents.ts';
import * as schemas from './schemas.ts';
import { readSettings } from './settings.ts';
import { validate } from './validate.ts';

/**
 * The review's date an incident gets when it is resolved: the resolution's day in the page's
 * time zone plus the page's business days (settings.review_business_days). For the resolve flow.
 */
export function defaultReviewDateFor(
  settings: Pick<Settings, 'time_zone' | 'review_business_days'>,
  resolvedAt: string,
): string {
  return defaultReviewDate(resolvedAt, settings.time_zone, settings.review_business_days);
}

/** Today as the page's calendar has it: what "overdue" is measured against. */
export async function pageToday(ctx: ServiceContext): Promise<string> {
  return dayOf(ctx.now().getTime(), (await readSettings(ctx.db)).time_zone);
}

/** Sets or clears (null) the post-incident review's date. Team-only: nothing public changes. */
export async function scheduleReview(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
  dueOn: string | null,
): Promise<IncidentView> {
  authorize(actor, 'manage_incidents');
  const { due_on } = validate(schemas.reviewSchedule, { due_on: dueOn }, 'review date');
  return write(ctx, async (trx) => {
    const incident = await requireIncident(trx, incidentId);
    await repo.setReviewDueOn(trx, incidentId, due_on);
    await recordAudit(trx, actor, iso(ctx.now()), {
      action: 'review.schedule',
      targetType: incident.kind,
      targetId: incidentId,
      details: { from: incident.review_due_on, to: due_on },
    });
    return viewOf(trx, await requireIncident(trx, incidentId));
  });
}

export type ReviewDue = {
  incident_id: string;
  code: string;
  name: string;
  kind: IncidentKind;
  status: AnyIncidentStatus;
  resolved_at: string | null;
  review_due_on: string;
  /** The date is before today in the page's time zone. */
  overdue: boolean;
  /** A draft of the postmortem exists (it is not published, or the review would not be listed). */
  postmortem_drafted: boolean;
  /** Action items of the incident not done yet. */
  unfinished_action_items: number;
};

export const MAX_REVIEWS_LISTED = 200;

/** Reviews with a date whose postmortem is not published yet, soonest (so overdue) first. */
export async function reviewsDue(ctx: ServiceContext, actor: Actor): Promise<ReviewDue[]> {
  authorize(actor, 'read');
  const [rows, today] = await Promise.all([repo.reviewRows(ctx.db, MAX_REVIEWS_LISTED), pageToday(ctx)]);
  const unfinished = await repo.unfinishedCounts(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    incident_id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    status: r.status,
    resolved_at: r.resolved_at,
    review_due_on: r.review_due_on ?? '',
    overdue: (r.review_due_on ?? '') < today,
    postmortem_drafted: Boolean(r.postmortem_drafted),
    unfinished_action_items: unfinished.get(r.id) ?? 0,
  }));
}
