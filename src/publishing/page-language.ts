import type { Context, Next } from 'hono';
import { localPath, type PageLanguages, splitLanguage } from '../i18n/language-path.ts';
import { ENGLISH, type Language, languageList, languageOf } from '../i18n/languages.ts';
import { translator, type Translate } from '../i18n/translate.ts';

/**
 * The language of a page travels from the path prefix to the page in this header, with the
 * process's render secret beside it: a visitor's own header is never believed, so no one can
 * make `/` render (and be cached) in another language.
 */
export const LANGUAGE_HEADER = 'x-herald-language';

/**
 * Serves `/de/…` by the page at `/…`, told its language. Mounted after the site cache (which
 * keys the prefixed path) and the APIs, before Astro's pages.
 */
export function languagePrefixes(secret: string, dispatch: (request: Request) => Response | Promise<Response>) {
  return async (c: Context, next: Next) => {
    const url = new URL(c.req.url);
    const { language, path } = splitLanguage(url.pathname);
    // An unprefixed request keeps whatever header a visitor sent: pageLanguage believes none without the secret.
    if (!language) return next();
    url.pathname = path;
    const headers = new Headers(c.req.raw.headers);
    headers.set(LANGUAGE_HEADER, `${language.code} ${secret}`);
    const method = c.req.method;
    const body = method === 'GET' || method === 'HEAD' ? null : c.req.raw.body;
    return dispatch(new Request(url, { method, headers, body, ...(body ? { duplex: 'half' } : {}) }));
  };
}

/** What a public page needs to speak its reader's language. */
export type PageLanguage = {
  language: Language;
  t: Translate;
  page: PageLanguages;
  /** This page's path in another language, for the switcher and hreflang. */
  pathIn: (language: Language, path: string) => string;
  /** False when the path named a language the page does not offer: the page answers 404. */
  offered: boolean;
};

/**
 * The language a page renders in: the one its prefix named (believed only with the secret), or
 * the page's default. `settings` are the page's: its default and offered languages.
 */
export function pageLanguage(request: Request, secret: string, settings: LanguageSettings): PageLanguage {
  const [code, proof] = (request.headers.get(LANGUAGE_HEADER) ?? '').split(' ');
  return pageIn(proof === secret ? languageOf(code) : undefined, settings);
}

/** The page's default language: what a page not offered in the language its prefix named answers in (its 404). */
export function defaultPageLanguage(settings: LanguageSettings): PageLanguage {
  return pageIn(undefined, settings);
}

type LanguageSettings = { default_language: string; languages: string };

function pageIn(named: Language | undefined, settings: LanguageSettings): PageLanguage {
  const defaultLanguage = languageOf(settings.default_language) ?? ENGLISH;
  const offered = [...new Set([defaultLanguage, ...languageList(settings.languages)])];
  const page: PageLanguages = { defaultLanguage, offered };
  const language = named ?? defaultLanguage;
  return {
    language,
    t: translator(language),
    page,
    pathIn: (other, path) => localPath(path, other, page),
    // The default language has no prefix of its own: /en/ is not a second copy of /.
    offered: !named || (offered.includes(named) && named.code !== defaultLanguage.code),
  };
}
