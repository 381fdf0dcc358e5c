import { dayOf } from './uptime.ts';

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date written YYYY-MM-DD that exists on the calendar (2026-02-30 does not). */
export function isCalendarDate(value: string): boolean {
  const parts = YMD.exec(value);
  if (!parts) return false;
  const date = new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])));
  return date.toISOString().slice(0, 10) === value;
}

/**
 * The date `days` working days after `dateYmd`, Saturdays and Sundays skipped (public holidays are
 * not known here). Zero days is the date itself, even on a weekend.
 */
export function addBusinessDays(dateYmd: string, days: number): string {
  if (!isCalendarDate(dateYmd)) throw new RangeError(`${dateYmd} is not a date (YYYY-MM-DD)`);
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`${days} is not a whole number of days ≥ 0`);
  const date = new Date(`${dateYmd}T00:00:00Z`);
  for (let left = days; left > 0;) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return date.toISOString().slice(0, 10);
}

/**
 * When the post-incident review is due: the day the incident was resolved, as the page's time
 * zone has it (a resolution at 23:30 in Paris is that day, not the next one UTC), plus `days`
 * business days.
 */
export function defaultReviewDate(resolvedAtIso: string, timeZone: string, days: number): string {
  const instant = Date.parse(resolvedAtIso);
  if (Number.isNaN(instant)) throw new RangeError(`${resolvedAtIso} is not an ISO 8601 time`);
  return addBusinessDays(dayOf(instant, timeZone), days);
}
