/**
 * What one incoming alert changes, given what Herald already holds for its fingerprint (its
 * alert group). This is what keeps a storm from becoming a storm of drafts and status changes:
 *
 * - Only a change of state does something. Alertmanager re-sends a firing group every
 *   group_interval and repeat_interval; a re-sent firing alert for a group already firing only
 *   refreshes its `last_seen_at`, and a resolved one for a group already resolved (or never seen)
 *   does nothing. A thousand alerts over fifty fingerprints fire fifty times at most.
 * - Hold-down: once a change has been applied, no other change is applied until the rule's
 *   `holdDownSeconds` have passed since it. A flapping alert (firing → resolved → firing inside
 *   the hold-down) makes its first change and then nothing; the changes in between are ignored,
 *   not queued. Whatever state the alert is in after the hold-down is applied by the next alert
 *   that arrives then: Alertmanager re-sends a group at group_interval after any change in it
 *   and every repeat_interval (4 h by default) while it fires; Grafana likewise.
 * - But a resolution is sent once: Alertmanager drops a resolved alert from its group after
 *   notifying it. A resolution swallowed by the hold-down would leave the group firing until
 *   the alert fires again, so the caller keeps the newest state received (`receivedState`) and
 *   a sweep applies it once the hold-down has passed (`settleHeldDown`).
 * - `lastChangeAt` moves only when a change is applied (fire or resolve), never on an ignored
 *   alert, or a flapping alert would hold itself down for ever.
 *
 * Pure: the caller reads the group, passes `now` and writes back what it applied.
 */
import type { AlertRule, AlertState, NormalizedAlert } from '../alerts.ts';

/** What Herald holds for one fingerprint (the `alert_groups` row and what it opened). */
export type AlertGroupState = {
  state: AlertState;
  /** When the last applied change (fire or resolve) happened, as stored. */
  lastChangeAt: string;
  /** The draft this group opened is still waiting for a person. */
  draftOpen: boolean;
  /** The incident this group led to (published, or approved from its draft) is not resolved. */
  incidentOpen: boolean;
};

export type IgnoreReason =
  /** A re-send of a firing alert: refresh last_seen_at only. */
  | 'still-firing'
  /** A re-send of a resolution already applied. */
  | 'still-resolved'
  /** A resolution of an alert Herald never saw firing (sent before the integration existed, or by another rule). */
  | 'never-fired'
  /** A change inside the hold-down after the last applied change. */
  | 'hold-down';

/** Where the group's earlier change left something open: update that rather than open another. */
export type OpenWork = 'incident' | 'draft' | null;

export type AlertDecision =
  { kind: 'ignore'; reason: IgnoreReason } | { kind: 'fire'; open: OpenWork } | { kind: 'resolve'; open: OpenWork };

export function decideAlert(
  rule: Pick<AlertRule, 'holdDownSeconds'>,
  group: AlertGroupState | null,
  alert: Pick<NormalizedAlert, 'state'>,
  now: Date,
): AlertDecision {
  if (group === null) return alert.state === 'firing' ? { kind: 'fire', open: null } : ignore('never-fired');
  if (alert.state === group.state) return ignore(alert.state === 'firing' ? 'still-firing' : 'still-resolved');
  if (now.getTime() < holdDownEnd(rule, group)) return ignore('hold-down');
  const open: OpenWork = group.incidentOpen ? 'incident' : group.draftOpen ? 'draft' : null;
  return { kind: alert.state === 'firing' ? 'fire' : 'resolve', open };
}

/**
 * The sweep after a hold-down: the newest state received for the group (applied or not) is
 * applied once the hold-down since the last change has passed, with no alert to carry it.
 */
export function settleHeldDown(
  rule: Pick<AlertRule, 'holdDownSeconds'>,
  group: AlertGroupState & { receivedState: AlertState },
  now: Date,
): AlertDecision {
  return decideAlert(rule, group, { state: group.receivedState }, now);
}

/** When the group may change again (milliseconds); an unreadable stored time does not hold it down. */
export function holdDownEnd(
  rule: Pick<AlertRule, 'holdDownSeconds'>,
  group: Pick<AlertGroupState, 'lastChangeAt'>,
): number {
  const last = Date.parse(group.lastChangeAt);
  return Number.isNaN(last) ? Number.NEGATIVE_INFINITY : last + Math.max(0, rule.holdDownSeconds) * 1000;
}

const REASONS: Record<IgnoreReason, string> = {
  'still-firing': 'already firing, last seen updated',
  'still-resolved': 'already resolved',
  'never-fired': 'resolved, but never seen firing',
  'hold-down': 'inside the hold-down after the last change',
};

/** The decision in words, for the integration's list of deliveries. */
export function describeDecision(decision: AlertDecision): string {
  if (decision.kind === 'ignore') return `Ignored: ${REASONS[decision.reason]}`;
  const target = decision.open === null ? '' : ` (its ${decision.open} is still open)`;
  return decision.kind === 'fire' ? `Firing${target}` : `Resolved${target}`;
}

function ignore(reason: IgnoreReason): AlertDecision {
  return { kind: 'ignore', reason };
}
