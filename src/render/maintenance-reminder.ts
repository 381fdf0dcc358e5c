import type { Incident } from '../db/schema.ts';
import type { Translate } from '../i18n/translate.ts';
import { type Reader, readerTime } from './reader.ts';

/** "in 1 minute", "in 90 minutes", "in 2 hours", "in 1 day", in the reader's words and plurals. */
export function leadInWords(minutes: number, t: Translate): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return t('notify.lead.days', { count: minutes / 1440 });
  if (minutes >= 120 && minutes % 60 === 0) return t('notify.lead.hours', { count: minutes / 60 });
  return t('notify.lead.minutes', { count: minutes });
}

/**
 * What a reminder says of its window: when it starts, and how soon. The lead is counted from when
 * the reminder went out (a window whose lead grew after its reminder time goes out at once, with
 * less than the lead left), else from the window's setting.
 */
export function reminderWords(
  incident: Pick<Incident, 'scheduled_for' | 'started_at' | 'remind_minutes_before' | 'reminded_at'>,
  timeZone: string,
  reader: Reader,
): { startsAt: string; lead: string; sentence: string } {
  const start = incident.scheduled_for ?? incident.started_at;
  const minutes = incident.reminded_at
    ? Math.max(1, Math.round((Date.parse(start) - Date.parse(incident.reminded_at)) / 60_000))
    : (incident.remind_minutes_before ?? 0);
  const startsAt = readerTime(reader, start, timeZone);
  const lead = leadInWords(minutes, reader.t);
  return { startsAt, lead, sentence: reader.t('notify.reminder', { time: startsAt, lead }) };
}
