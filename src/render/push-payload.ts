import type { NotifyEvent } from '../db/schema.ts';
import { STATUS_LABELS } from '../domain/incident.ts';
import type { IncidentView } from '../services/incident-view.ts';
import { incidentLink } from '../domain/public-link.ts';
import { reminderWords } from './maintenance-reminder.ts';

/** What public/sw.js turns into a system notification. */
export type PushPayload = { title: string; body: string; url: string; tag: string; icon: string; timestamp: number };

export const MAX_PUSH_PAYLOAD = 3000;

const plain = (markdown: string) =>
  markdown
    .replace(/[#*_`>[\]]|\(https?:[^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Short enough for every push service (4 KB after encryption), one per incident (tag).
 * `baseUrl` is the public base address as publicBase() gives it: no trailing slash.
 */
export function pushPayload(input: {
  pageName: string;
  baseUrl: string;
  incident: IncidentView;
  updateId: string | null;
  event: NotifyEvent;
  /** The page's time zone, for a reminder's start time; UTC when not given. */
  timeZone?: string;
}): PushPayload {
  const { incident } = input;
  const update = input.updateId ? incident.incident_updates.find((u) => u.id === input.updateId) : undefined;
  const word =
    input.event === 'postmortem.published'
      ? 'Postmortem published'
      : input.event === 'maintenance.scheduled'
        ? 'Scheduled maintenance'
        : STATUS_LABELS[update?.status ?? incident.status];
  const base = input.baseUrl;
  const reminder = input.event === 'maintenance.reminder' ? reminderWords(incident, input.timeZone ?? 'UTC') : null;
  const payload: PushPayload = {
    title: `${input.pageName}: ${incident.name}`.slice(0, 200),
    body: reminder
      ? `Reminder: maintenance starts at ${reminder.startsAt} (${reminder.lead})`
      : `${word} — ${plain(update?.body ?? incident.postmortem_body ?? '')}`.slice(0, 1000),
    url: incidentLink(base, incident.code, update?.id),
    tag: `incident-${incident.id}`,
    icon: `${base}/favicon.svg`,
    timestamp: Date.parse(update?.created_at ?? (reminder && incident.reminded_at) ?? incident.updated_at),
  };
  while (Buffer.byteLength(JSON.stringify(payload)) > MAX_PUSH_PAYLOAD)
    payload.body = payload.body.slice(0, Math.floor(payload.body.length * 0.8));
  return payload;
}
