import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/database.ts';
import { incidentCodeExists } from '../services/public-incidents.ts';
import { matchPublicRoute, NOT_FOUND_KEY } from './public-routes.ts';
import { RENDER_HEADER, respondFromCache, type SiteCache } from './site-cache.ts';
import { languageRedirect, varyHeaders } from './language-redirect.ts';

/**
 * Serves public GETs from the site cache. The cache's own renders carry a per-process secret
 * header and pass through to the real handlers; no visitor can ask for a fresh render.
 */
export function siteCacheMiddleware(cache: SiteCache, db: Db, renderSecret: string): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if ((method !== 'GET' && method !== 'HEAD') || c.req.header(RENDER_HEADER) === renderSecret) return next();
    const url = new URL(c.req.url);
    const match = matchPublicRoute(url.pathname);
    if (match.kind === 'dynamic') return next();
    const elsewhere = languageRedirect(
      cache.languagePolicy,
      url.pathname,
      c.req.header('accept-language') ?? null,
      url.search,
    );
    if (elsewhere)
      return new Response(null, {
        status: 302,
        headers: {
          location: elsewhere,
          'cache-control': 'private, no-cache',
          ...varyHeaders(cache.languagePolicy, url.pathname),
        },
      });
    const notFound = match.notFoundKey ?? NOT_FOUND_KEY;
    let key = match.kind === 'cached' ? match.key : notFound;
    // An unknown code must not become a cache entry of its own: it gets the shared 404 page.
    if (match.kind === 'cached' && match.incidentCode && !(await incidentCodeExists({ db }, match.incidentCode)))
      key = notFound;
    const result = await cache.lookup(key);
    if (result instanceof Response) return result;
    const answer = respondFromCache(result.page, c.req.raw, result.hit);
    for (const [name, value] of Object.entries(varyHeaders(cache.languagePolicy, url.pathname)))
      answer.headers.set(name, value);
    return answer;
  };
}
