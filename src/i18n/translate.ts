import { IntlMessageFormat } from 'intl-messageformat';
import type { MessageKey } from './catalogues/en.ts';
import { ENGLISH, type Language } from './languages.ts';

export type { MessageKey };
export type MessageValues = Record<string, string | number>;
/** Formats one message of the reader's language. */
export type Translate = (key: MessageKey, values?: MessageValues) => string;

const compiled = new Map<string, IntlMessageFormat>();

function format(language: Language, key: MessageKey, values?: MessageValues): string {
  const id = `${language.code}\u0000${key}`;
  let message = compiled.get(id);
  if (!message) {
    // A catalogue is typed against English, so a key is never missing; an empty one falls back.
    const text = language.catalogue[key] || ENGLISH.catalogue[key];
    message = new IntlMessageFormat(text, language.code);
    compiled.set(id, message);
  }
  return String(message.format(values));
}

/** The translate function of a language; compiled messages are kept for the process's life. */
export function translator(language: Language): Translate {
  return (key, values) => format(language, key, values);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(language: Language, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${language.code}|${timeZone}|${JSON.stringify(options)}`;
  let f = dateFormats.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(language.code, { timeZone, ...options });
    dateFormats.set(id, f);
  }
  return f;
}

/** "23 Nov 2026, 14:05 CET" in the reader's language, in the page's zone. */
export function formatDateTime(language: Language, iso: string, timeZone: string): string {
  return dateFormat(language, timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** The calendar day in the reader's language ("Monday, 23 November 2026"). */
export function formatDay(language: Language, iso: string, timeZone: string): string {
  return dateFormat(language, timeZone, { dateStyle: 'full' }).format(new Date(iso));
}

/** A duration in the reader's words ("2 hours, 5 minutes"), whole minutes, at most two units. */
export function formatDuration(language: Language, minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = Math.round(minutes % 60);
  const parts: Array<[number, Intl.NumberFormatOptions['unit']]> = [
    [days, 'day'],
    [hours, 'hour'],
    [mins, 'minute'],
  ];
  const shown = parts.filter(([n]) => n > 0).slice(0, 2);
  const list = (shown.length ? shown : [[0, 'minute'] as const]).map(([n, unit]) =>
    new Intl.NumberFormat(language.code, { style: 'unit', unit, unitDisplay: 'long' }).format(n),
  );
  return new Intl.ListFormat(language.code, { style: 'narrow', type: 'unit' }).format(list);
}
