/**
 * Which GET URLs are public, cacheable content, and their cache key. Anything not listed is
 * either dynamic (admin, setup, subscriptions: passed through untouched) or unknown (answered
 * with the cached 404 page), so no query string or odd path ever causes a render of its own.
 */
import { prefixOf, splitLanguage } from '../i18n/language-path.ts';
import { ENGLISH, languageList, languageOf } from '../i18n/languages.ts';
export type RouteMatch =
  | { kind: 'cached'; key: string; incidentCode?: string; notFoundKey?: string }
  | { kind: 'dynamic' }
  | { kind: 'not-found'; notFoundKey?: string };

const DYNAMIC_PREFIXES = [
  '/api/admin',
  '/api/public',
  '/admin',
  '/console.css',
  '/setup',
  '/invite',
  '/subscribe',
  '/subscriptions',
  '/metrics',
  '/healthz',
  '/readyz',
  '/_astro',
  '/_image',
  '/_server-islands',
];

/** The public URLs without parameters; the export starts its crawl from these too. */
export const FIXED_PUBLIC_PATHS: readonly string[] = [
  '/',
  '/site.css',
  '/custom.css',
  '/history',
  '/feed.atom',
  '/feed.rss',
  '/maintenance.ics',
  '/badge.svg',
  '/widget',
  '/api/v2/summary.json',
  '/api/v2/status.json',
  '/api/v2/components.json',
  '/api/v2/incidents.json',
  '/api/v2/incidents/unresolved.json',
  '/api/v2/scheduled-maintenances.json',
  '/api/v2/scheduled-maintenances/upcoming.json',
  '/api/v2/scheduled-maintenances/active.json',
];
const FIXED = new Set(FIXED_PUBLIC_PATHS);

export const NOT_FOUND_KEY = '/404';
export const MAX_HISTORY_PAGE = 1000;
const INCIDENT = /^\/incidents\/([a-z0-9]{1,32})$/;
const HISTORY_PAGE = /^\/history\/([1-9]\d{0,3})$/;

/** Public paths that have a page per language (`/de/history`); stylesheets and JSON have one. */
const UNTRANSLATED = new Set(['/site.css', '/custom.css']);

/**
 * A public path, with or without a language prefix: `/de/incidents/abc` is cached under its own
 * key, and a prefixed unknown path gets that language's 404 page.
 */
export function matchPublicRoute(pathname: string): RouteMatch {
  const { language, path } = splitLanguage(pathname);
  if (!language) return matchUnprefixed(pathname);
  const prefix = prefixOf(language);
  const inner = matchUnprefixed(path);
  if (inner.kind === 'dynamic') {
    // Forms and pages rendered per visit exist per language too; the API and the console do not.
    return path.startsWith('/api') || path.startsWith('/admin') || path === '/metrics' ? { kind: 'not-found' } : inner;
  }
  // Not a page in any language: answered with that language's 404 page, never crawled or cached apart.
  const notFoundKey = `${prefix}${NOT_FOUND_KEY}`;
  if (inner.kind === 'not-found' || UNTRANSLATED.has(inner.key) || inner.key.startsWith('/api/'))
    return { kind: 'not-found', notFoundKey };
  if (inner.key === NOT_FOUND_KEY) return { kind: 'cached', key: notFoundKey };
  return { ...inner, key: inner.key === '/' ? `${prefix}/` : `${prefix}${inner.key}`, notFoundKey };
}

function matchUnprefixed(pathname: string): RouteMatch {
  if (DYNAMIC_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return { kind: 'dynamic' };
  // Mirrors Astro's trailingSlash "ignore": /history/ is /history.
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const history = HISTORY_PAGE.exec(path);
  if (history?.[1]) {
    const page = Number(history[1]);
    return page >= 2 && page <= MAX_HISTORY_PAGE ? { kind: 'cached', key: path } : { kind: 'not-found' };
  }
  if (FIXED.has(path)) return { kind: 'cached', key: path };
  const incident = INCIDENT.exec(path);
  if (incident?.[1]) return { kind: 'cached', key: path, incidentCode: incident[1] };
  if (path === NOT_FOUND_KEY) return { kind: 'cached', key: NOT_FOUND_KEY };
  // Unknown API paths answer with a problem document from the API itself, not the HTML 404.
  if (path === '/api' || path.startsWith('/api/')) return { kind: 'dynamic' };
  return { kind: 'not-found' };
}

/** A language's own copies of the fixed public pages, its 404 included: what an export starts from. */
export function languageSeeds(prefix: string): string[] {
  return [...FIXED_PUBLIC_PATHS, NOT_FOUND_KEY]
    .filter((path) => !UNTRANSLATED.has(path) && !path.startsWith('/api/'))
    .map((path) => (path === '/' ? `${prefix}/` : `${prefix}${path}`));
}

/** URLs kept warm whatever happens: what thousands of people refresh during an outage. */
export const ALWAYS_HOT = [
  '/',
  '/site.css',
  '/custom.css',
  '/api/v2/summary.json',
  '/api/v2/status.json',
  '/badge.svg',
  '/widget',
];

/**
 * The hot URLs of a page that offers these languages: ALWAYS_HOT, and the home page of each
 * offered language but the default (`/de/`): during an outage every language's readers refresh.
 */
export function hotPaths(settings: { default_language: string; languages: string }): string[] {
  const defaultLanguage = languageOf(settings.default_language) ?? ENGLISH;
  const others = languageList(settings.languages).filter((l) => l.code !== defaultLanguage.code);
  return [...ALWAYS_HOT, ...others.map((l) => `${prefixOf(l)}/`)];
}
