import type { PageLanguages } from './language-path.ts';
import { ENGLISH, type Language, languageList, languageOf } from './languages.ts';

/** What the page's settings say about languages, as stored (codes). */
export type LanguageSettings = { default_language: string; languages: string };

/** The page's default language and the others it offers, from its settings. */
export function pageLanguagesOf(settings: LanguageSettings): PageLanguages {
  const defaultLanguage = languageOf(settings.default_language) ?? ENGLISH;
  return { defaultLanguage, offered: [...new Set([defaultLanguage, ...languageList(settings.languages)])] };
}

/**
 * The language a new subscriber is stored with: the one the page they used posted, when Herald
 * knows it (in its own spelling, "pt-BR"), else the page's default. Never an error: a form from an
 * old cached page, or a client that sends none, still subscribes.
 */
export function subscriberLanguage(code: string | null | undefined, settings: LanguageSettings): string {
  return (languageOf(code?.trim()) ?? pageLanguagesOf(settings).defaultLanguage).code;
}

/**
 * The language a subscriber is written to in: their own while the page offers it, else the page's
 * default (the page stopped offering it, or the row predates languages). Links in what they
 * receive point at that language's pages, which therefore exist.
 */
export function readerLanguage(code: string | null | undefined, page: PageLanguages): Language {
  const own = languageOf(code);
  return own && page.offered.includes(own) ? own : page.defaultLanguage;
}
