/**
 * Security headers of every answer, in one place so the Hono app and the front server's fast
 * path send the same ones. The badge, widget, feeds and v2 documents are meant for other
 * sites: they may be loaded cross-origin, and the widget may be framed.
 */
const BASE = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'SAMEORIGIN',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-permitted-cross-domain-policies': 'none',
};

const EMBEDDABLE = /^\/(badge\.svg|widget|feed\.(atom|rss)|maintenance\.ics|api\/v2\/.*)$/;
const embeddable = { ...BASE, 'cross-origin-resource-policy': 'cross-origin' };
const { 'x-frame-options': _frame, ...frameable } = embeddable;
const widget = { ...frameable, 'content-security-policy': 'frame-ancestors *' };

export function securityHeaders(pathname: string): Readonly<Record<string, string>> {
  if (pathname === '/widget') return widget;
  return EMBEDDABLE.test(pathname) ? embeddable : BASE;
}
