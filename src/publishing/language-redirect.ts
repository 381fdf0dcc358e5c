import { negotiate, prefixOf } from '../i18n/language-path.ts';
import { ENGLISH, type Language, languageList, languageOf } from '../i18n/languages.ts';

/** Whether `/` sends readers to their language's page, and which languages the page offers. */
export type LanguagePolicy = { redirect: boolean; defaultLanguage: Language; offered: readonly Language[] };

export const NO_REDIRECT: LanguagePolicy = { redirect: false, defaultLanguage: ENGLISH, offered: [ENGLISH] };

export function languagePolicyOf(settings: {
  language_redirect: number;
  default_language: string;
  languages: string;
}): LanguagePolicy {
  const defaultLanguage = languageOf(settings.default_language) ?? ENGLISH;
  const offered = [...new Set([defaultLanguage, ...languageList(settings.languages)])];
  return { redirect: settings.language_redirect === 1 && offered.length > 1, defaultLanguage, offered };
}

/**
 * Where `/` sends a reader whose Accept-Language prefers another offered language, or null (stay).
 * Only `/`: every other address already names its language, and a link must keep meaning one page.
 */
export function languageRedirect(
  policy: LanguagePolicy,
  pathname: string,
  acceptLanguage: string | null,
  search = '',
): string | null {
  // A reader who chose the default language in the switcher (/?lang=en) stays on it.
  if (!policy.redirect || pathname !== '/' || /[?&]lang=/.test(search)) return null;
  const best = negotiate(acceptLanguage, policy.offered);
  return best && best.code !== policy.defaultLanguage.code ? `${prefixOf(best)}/` : null;
}

/** Headers of `/` while it depends on Accept-Language: shared caches must keep one copy per language. */
export function varyHeaders(policy: LanguagePolicy, pathname: string): Record<string, string> {
  return policy.redirect && pathname === '/' ? { vary: 'Accept-Encoding, Accept-Language' } : {};
}
