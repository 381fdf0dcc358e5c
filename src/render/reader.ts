import { formatInstant } from '../i18n/formats.ts';
import { localPath, type PageLanguages } from '../i18n/language-path.ts';
import type { Language } from '../i18n/languages.ts';
import { pageLanguagesOf, type LanguageSettings, readerLanguage } from '../i18n/reader-language.ts';
import { translator, type Translate } from '../i18n/translate.ts';

/**
 * Whom a mail or push is written for: their language, its messages, and the page's languages (a
 * link goes to the reader's own page, `/de/incidents/abc`, unprefixed for the default language).
 */
export type Reader = { language: Language; page: PageLanguages; t: Translate };

export function readerOf(language: Language, page: PageLanguages): Reader {
  return { language, page, t: translator(language) };
}

/** The reader of a stored language code on this page (see readerLanguage for the fallback). */
export function readerFor(code: string | null | undefined, settings: LanguageSettings): Reader {
  const page = pageLanguagesOf(settings);
  return readerOf(readerLanguage(code, page), page);
}

/** The page's default reader: what team channels (webhooks, Slack, Teams) and previews use. */
export function defaultReader(settings: LanguageSettings): Reader {
  const page = pageLanguagesOf(settings);
  return readerOf(page.defaultLanguage, page);
}

/** An absolute address of a public path in the reader's language. `base` has no trailing slash. */
export function readerLink(base: string, path: string, reader: Reader): string {
  return `${base}${localPath(path, reader.language, reader.page)}`;
}

/** An incident's permalink (or one update's) on the reader's page. */
export function readerIncidentLink(base: string, code: string, updateId: string | undefined, reader: Reader): string {
  return `${readerLink(base, `/incidents/${code}`, reader)}${updateId ? `#update-${updateId}` : ''}`;
}

/** "23 Nov 2026, 14:05 CET", "23. Nov. 2026, 14:05 MEZ": a mail has no hover, so the zone is named. */
export function readerTime(reader: Reader, iso: string, timeZone: string): string {
  return formatInstant(reader.language, iso, timeZone);
}
