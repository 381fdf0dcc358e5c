import type { Incident } from '../db/schema.ts';
import { formatTime } from './format.ts';

/** "in 1 minute", "in 90 minutes", "in 2 hours", "in 1 day". */
export function leadInWords(minutes: number): string {
  const plural = (n: number, unit: string) => `in ${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes >= 1440 && minutes % 1440 === 0) return plural(minutes / 1440, 'day');
  if (minutes >= 120 && minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
}

/**
 * What a reminder says of its window: when it starts, and how soon. The lead is counted from when
 * the reminder went out (a window whose lead grew after its reminder time goes out at once, with
 * less than the lead left), else from the window's setting.
 */
export function reminderWords(
  incident: Pick<Incident, 'scheduled_for' | 'started_at' | 'remind_minutes_before' | 'reminded_at'>,
  timeZone: string,
): { startsAt: string; lead: string; sentence: string } {
  const start = incident.scheduled_for ?? incident.started_at;
  const minutes = incident.reminded_at
    ? Math.max(1, Math.round((Date.parse(start) - Date.parse(incident.reminded_at)) / 60_000))
    : (incident.remind_minutes_before ?? 0);
  const startsAt = formatTime(start, timeZone);
  const lead = leadInWords(minutes);
  return { startsAt, lead, sentence: `Maintenance starts at ${startsAt} (${lead})` };
}
