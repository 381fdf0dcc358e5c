import type { AstroGlobal } from 'astro';

/**
 * Pages reached through a personal link (setup, invitation, confirmation, manage, unsubscribe) are
 * never cached and never leak their URL, which is the holder's credential, in a Referer to
 * another site. `same-origin` rather than `no-referrer`: with the latter, browsers send
 * `Origin: null` on the page's own form posts, and the same-site check refuses them.
 */
export function privatePage(astro: AstroGlobal): void {
  astro.response.headers.set('cache-control', 'no-store');
  astro.response.headers.set('referrer-policy', 'same-origin');
}
