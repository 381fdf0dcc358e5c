import type { Language } from './languages.ts';

/**
 * Dates, numbers and lists on the public pages, by Intl in the reader's language. English keeps
 * the page's house style ("23 Nov 2026, 14:05 CET", day before month, 24-hour clock).
 */
export function intlLocale(language: Language): string {
  return language.code === 'en' ? 'en-GB' : language.code;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${language.code}|${JSON.stringify(options)}`;
  let f = formats.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(language), options);
    formats.set(id, f);
  }
  return f;
}

/** An instant with its zone, in the page's zone: "23 Nov 2026, 14:05 CET", "2026年11月23日 14:05 GMT+1". */
export function formatInstant(language: Language, iso: string, timeZone: string): string {
  return dateFormat(language, {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(new Date(iso));
}

/** A calendar day (YYYY-MM-DD) in full: "23 November 2026". */
export function formatCalendarDay(language: Language, day: string): string {
  return dateFormat(language, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(`${day}T12:00:00Z`),
  );
}

/** A calendar day (YYYY-MM-DD) in short, as the uptime bars label their cells: "23 Nov". */
export function formatShortDay(language: Language, day: string): string {
  return dateFormat(language, { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(new Date(`${day}T12:00:00Z`));
}

/** The month of an instant in the page's zone: "November 2026". */
export function formatMonth(language: Language, iso: string, timeZone: string): string {
  return dateFormat(language, { timeZone, month: 'long', year: 'numeric' }).format(new Date(iso));
}

const percents = new Map<string, Intl.NumberFormat>();

function percentFormat(language: Language, decimals: number): Intl.NumberFormat {
  const id = `${language.code}|${decimals}`;
  let f = percents.get(id);
  if (!f) {
    f = new Intl.NumberFormat(intlLocale(language), {
      style: 'percent',
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    percents.set(id, f);
  }
  return f;
}

/** An uptime percentage with two decimals ("99.95%", "99,95 %"); a rounded hundred is "100%". */
export function formatPercent(language: Language, percent: number): string {
  return percent >= 99.995 ? percentFormat(language, 0).format(1) : percentFormat(language, 2).format(percent / 100);
}

/** Names joined as the language lists them: "API, Dashboard and Webhooks". */
export function formatList(language: Language, items: readonly string[]): string {
  return new Intl.ListFormat(intlLocale(language), { style: 'long', type: 'conjunction' }).format(items);
}
