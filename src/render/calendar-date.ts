const calendar = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** "Mon 30 Nov 2026" for 2026-11-30: a calendar date, the same in every time zone. */
export function formatCalendarDate(ymd: string): string {
  const date = new Date(`${ymd}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? ymd : calendar.format(date).replace(',', '');
}
