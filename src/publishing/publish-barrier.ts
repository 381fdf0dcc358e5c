import type { MiddlewareHandler } from 'hono';
import type { SiteCache } from './site-cache.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A write's answer waits until the pages it changed are rendered again (bounded), so whoever
 * wrote reads their own write on the next request; readers meanwhile are served the previous
 * version and never wait. Writes in flight together, or in the same window, share one render.
 */
export function publishBarrier(cache: SiteCache, timeoutMs = 2000): MiddlewareHandler {
  return async (c, next) => {
    if (READS.has(c.req.method)) return next();
    const before = cache.version;
    const end = cache.beginWrite();
    try {
      await next();
    } finally {
      end();
    }
    const after = cache.version;
    if (after !== before) await cache.visible(after, timeoutMs);
  };
}
