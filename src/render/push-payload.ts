import type { NotifyEvent } from '../db/schema.ts';
import { INCIDENT_STATUS_KEYS } from '../i18n/labels.ts';
import type { IncidentView } from '../services/incident-view.ts';
import { reminderWords } from './maintenance-reminder.ts';
import { type Reader, readerIncidentLink } from './reader.ts';

/** What public/sw.js turns into a system notification. */
export type PushPayload = { title: string; body: string; url: string; tag: string; icon: string; timestamp: number };

export const MAX_PUSH_PAYLOAD = 3000;

const plain = (markdown: string) =>
  markdown
    .replace(/[#*_`>[\]]|\(https?:[^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Short enough for every push service (4 KB after encryption), one per incident (tag), in the
 * reader's language and linking to their page. `baseUrl` is the public base address as
 * publicBase() gives it: no trailing slash.
 */
export function pushPayload(input: {
  pageName: string;
  baseUrl: string;
  incident: IncidentView;
  updateId: string | null;
  event: NotifyEvent;
  /** The page's time zone, for a reminder's start time; UTC when not given. */
  timeZone?: string;
  reader: Reader;
}): PushPayload {
  const { incident, reader } = input;
  const { t } = reader;
  const update = input.updateId ? incident.incident_updates.find((u) => u.id === input.updateId) : undefined;
  const word =
    input.event === 'postmortem.published'
      ? t('notify.word.postmortem')
      : input.event === 'maintenance.scheduled'
        ? t('notify.word.scheduled')
        : t(INCIDENT_STATUS_KEYS[update?.status ?? incident.status]);
  const base = input.baseUrl;
  const reminder =
    input.event === 'maintenance.reminder' ? reminderWords(incident, input.timeZone ?? 'UTC', reader) : null;
  const payload: PushPayload = {
    title: t('notify.push.title', { page: input.pageName, name: incident.name }).slice(0, 200),
    body: reminder
      ? t('notify.push.reminder', { time: reminder.startsAt, lead: reminder.lead })
      : t('notify.push.body', { status: word, text: plain(update?.body ?? incident.postmortem_body ?? '') }).slice(
          0,
          1000,
        ),
    url: readerIncidentLink(base, incident.code, update?.id, reader),
    tag: `incident-${incident.id}`,
    icon: `${base}/favicon.svg`,
    timestamp: Date.parse(update?.created_at ?? (reminder && incident.reminded_at) ?? incident.updated_at),
  };
  while (Buffer.byteLength(JSON.stringify(payload)) > MAX_PUSH_PAYLOAD)
    payload.body = payload.body.slice(0, Math.floor(payload.body.length * 0.8));
  return payload;
}
