const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function localDay(date: Date, timeZone: string): string {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  return f.format(date);
}

/** "23 Nov 2026, 14:05 CET": absolute, in the page's zone, readable without JavaScript. */
export function formatTime(iso: string, timeZone: string): string {
  return formatter(timeZone).format(new Date(iso));
}

/** "30 min", "1 h", "4 h", "1 day": how the console says an update cadence. */
export function describeInterval(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * "15:30 CET" for a time later today in the page's zone, "29 Nov, 09:00 CET" for another day:
 * how a message says when the next update comes.
 */
export function formatClockTime(date: Date, timeZone: string, now: Date): string {
  const sameDay = localDay(date, timeZone) === localDay(now, timeZone);
  const key = `${timeZone}|${sameDay}`;
  let f = clockFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      ...(sameDay ? {} : { day: 'numeric', month: 'short' }),
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    clockFormatters.set(key, f);
  }
  return f.format(date);
}

const pluralRules = new Intl.PluralRules('en');

/** "1 subscriber", "212 subscribers": a count with its noun in the right number. */
export function plural(count: number, one: string, other: string): string {
  return `${count.toLocaleString('en')} ${pluralRules.select(count) === 'one' ? one : other}`;
}
