import type { Component } from '../db/schema.ts';
import { COMPONENT_STATUS_LABELS, type ComponentStatus } from '../domain/component-status.ts';
import { STATUS_LABELS } from '../domain/incident.ts';
import type { PageStatus } from '../domain/indicator.ts';
import type { NotifyEvent } from '../domain/notify-event.ts';
import type { IncidentView, UpdateView } from '../services/incident-view.ts';

/** A subscriber's own links: every webhook, Slack and Teams message carries them. */
export type SubscriberLinks = { manage: string; unsubscribe: string };

/** What a message about the page itself needs (a test delivery, a component change). */
export type ChannelPageInput = {
  pageName: string;
  /** The public base address, as publicBase() gives it: no trailing slash. */
  baseUrl: string;
  /** The page-wide indicator, as getPublicStatus() computes it. */
  pageStatus: PageStatus;
  links: SubscriberLinks;
};

/** What the webhook, Slack and Teams renderers share for one notification to one subscriber. */
export type ChannelMessageInput = ChannelPageInput & {
  /**
   * The page's visible components by id (getPublicStatus: its groups' and the ungrouped ones).
   * An incident's hidden components are left out of every channel, as the v2 API leaves them out.
   */
  components: ReadonlyMap<string, Component>;
  incident: IncidentView;
  updateId: string | null;
  event: NotifyEvent;
  links: SubscriberLinks & { permalink: string };
};

/** The update a notification is about; none for a postmortem or a reminder. */
export function chosenUpdate(input: ChannelMessageInput): UpdateView | undefined {
  return input.updateId ? input.incident.incident_updates.find((u) => u.id === input.updateId) : undefined;
}

// Keyed by string, not NotifyEvent: events are added over time (a reminder, a component change),
// and one this file does not know yet still gets a sensible generic wording.
const HEADLINES: Readonly<Record<string, string | undefined>> = {
  'incident.created': 'New incident',
  'incident.updated': 'Incident update',
  'incident.resolved': 'Incident resolved',
  'maintenance.scheduled': 'Maintenance scheduled',
  'maintenance.reminder': 'Maintenance starts soon',
  'maintenance.started': 'Maintenance started',
  'maintenance.updated': 'Maintenance update',
  'maintenance.completed': 'Maintenance completed',
  'postmortem.published': 'Postmortem published',
  'component.updated': 'Component status changed',
};

/** What happened, in a few words: "New incident", "Maintenance starts soon". */
export function eventHeadline(input: ChannelMessageInput): string {
  const { incident, event } = input;
  if (event === 'maintenance.completed' && incident.cancelled_at) return 'Maintenance cancelled';
  return HEADLINES[event] ?? (incident.kind === 'maintenance' ? 'Maintenance update' : 'Incident update');
}

/** The status word the page shows: the update's status, or the incident's when there is no update. */
export function statusLabel(input: ChannelMessageInput): string {
  const { incident } = input;
  if (incident.cancelled_at) return 'Cancelled';
  return STATUS_LABELS[chosenUpdate(input)?.status ?? incident.status];
}

/** As the incident page words it. */
export function impactLabel(incident: IncidentView): string {
  if (incident.kind === 'maintenance') return 'Scheduled maintenance';
  return `${{ none: 'No', minor: 'Minor', major: 'Major', critical: 'Critical' }[incident.impact]} impact`;
}

/** The markdown the message carries: the update's text, or the postmortem when that is the news. */
export function messageBody(input: ChannelMessageInput): string {
  if (input.event === 'postmortem.published') return input.incident.postmortem_body ?? '';
  return chosenUpdate(input)?.body ?? '';
}

/** When the news happened, for receivers that order or dedupe by time. */
export function eventTime(input: ChannelMessageInput): string {
  const { incident } = input;
  if (input.event === 'postmortem.published' && incident.postmortem_published_at)
    return incident.postmortem_published_at;
  return chosenUpdate(input)?.created_at ?? incident.updated_at;
}

/** The window of a maintenance, when it has one. */
export function maintenanceWindow(incident: IncidentView): { from: string; until: string } | null {
  return incident.kind === 'maintenance' && incident.scheduled_for && incident.scheduled_until
    ? { from: incident.scheduled_for, until: incident.scheduled_until }
    : null;
}

export type AffectedComponent = {
  id: string;
  name: string;
  /** Its status now, as the page shows it. */
  status: ComponentStatus;
  /** "Major Outage", or "Operational → Major Outage" when this update changed it. */
  label: string;
};

/** The incident's visible components and those the update changed, with their statuses. */
export function affectedComponents(input: ChannelMessageInput): AffectedComponent[] {
  const changes = new Map((chosenUpdate(input)?.affected_components ?? []).map((c) => [c.id, c]));
  const ids = [...new Set([...input.incident.components.map((c) => c.id), ...changes.keys()])];
  return ids.flatMap((id) => {
    const component = input.components.get(id);
    if (!component) return [];
    const change = changes.get(id);
    const now = COMPONENT_STATUS_LABELS[component.status];
    const label =
      change && change.old_status && change.old_status !== change.new_status
        ? `${COMPONENT_STATUS_LABELS[change.old_status]} → ${COMPONENT_STATUS_LABELS[change.new_status]}`
        : now;
    return [{ id, name: component.name, status: component.status, label }];
  });
}

/**
 * The longest prefix of `source`, cut between words, whose conversion fits `limit` with `suffix`
 * appended. The markdown is cut before converting, so a cut never lands inside a link or an
 * escape of the output: an unfinished `[text](url` is literal text, not a broken link.
 */
export function fitConverted(source: string, limit: number, convert: (s: string) => string, suffix: string): string {
  const whole = convert(source);
  if (whole.length <= limit) return whole;
  const room = limit - suffix.length;
  const fits = (end: number) => convert(source.slice(0, end)).trimEnd().length <= room;
  const cuts = [...source.matchAll(/\s+/g)].map((m) => m.index);
  // The converted length grows with the prefix, nearly always: search, then step back if it did not.
  let low = 0;
  let high = cuts.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (fits(cuts[middle] ?? 0)) low = middle + 1;
    else high = middle - 1;
  }
  let index = high;
  while (index >= 0 && !fits(cuts[index] ?? 0)) index--;
  const kept = index >= 0 ? convert(source.slice(0, cuts[index])).trimEnd() : '';
  return `${kept}${suffix}`.trimStart();
}
