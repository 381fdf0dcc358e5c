import type { AstroGlobal } from 'astro';

/**
 * Pages reached through a personal link (confirmation, manage, unsubscribe) are never cached
 * and never leak their URL, which is the subscriber's credential, in a Referer.
 */
export function privatePage(astro: AstroGlobal): void {
  astro.response.headers.set('cache-control', 'no-store');
  astro.response.headers.set('referrer-policy', 'no-referrer');
}
