import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchPublicRoute, NOT_FOUND_KEY } from './public-routes.ts';
import { securityHeaders } from '../http/security-headers.ts';
import { answerFromCache, type SiteCache } from './site-cache.ts';
import { languageRedirect, varyHeaders } from './language-redirect.ts';

export type NodeFastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Where src/fetch.ts leaves the fast path for the front server (scripts/start.mjs) to find. */
export const FAST_PATH_KEY = Symbol.for('herald.fastPath');

/**
 * Answers a public GET straight from the site cache on Node's own request and response, before
 * any Web Request is built: during an outage nearly every request is this one. Returns false
 * (and writes nothing) when the full app must answer: not public, or not cached yet.
 */
export function createNodeFastPath(cache: SiteCache): NodeFastPath {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const pathname = query === -1 ? url : url.slice(0, query);
    const match = matchPublicRoute(pathname);
    if (match.kind === 'dynamic') return false;
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : null;
    };
    const elsewhere = languageRedirect(
      cache.languagePolicy,
      pathname,
      header('accept-language'),
      query === -1 ? '' : url.slice(query),
    );
    if (elsewhere) {
      res.writeHead(302, {
        location: elsewhere,
        'cache-control': 'private, no-cache',
        ...varyHeaders(cache.languagePolicy, pathname),
        ...securityHeaders(pathname),
      });
      res.end();
      return true;
    }
    const page = cache.peek(match.kind === 'cached' ? match.key : (match.notFoundKey ?? NOT_FOUND_KEY));
    if (!page) return false;
    const answer = answerFromCache(
      page,
      {
        method: req.method,
        acceptEncoding: header('accept-encoding'),
        ifNoneMatch: header('if-none-match'),
        ifModifiedSince: header('if-modified-since'),
      },
      true,
      { ...securityHeaders(pathname), ...varyHeaders(cache.languagePolicy, pathname) },
    );
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    return true;
  };
}
