import { createHash } from 'node:crypto';
import { MAIL_STYLES } from '../render/mail-styles.ts';

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

/**
 * No inline script or style anywhere: stylesheets and scripts are files of this site (/site.css,
 * /console.css, /widget.css, /admin.js, /push.js). Images may come from https (a logo, a picture
 * in an update). Framing follows X-Frame-Options: the site itself, the console nobody, the
 * widget anyone.
 */
function contentSecurityPolicy(styleSources: string, frameAncestors: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${styleSources}`,
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

const styleHash = (style: string) => `'sha256-${createHash('sha256').update(style).digest('base64')}'`;
// The composer previews the exact notification mail in a sandboxed srcdoc frame, which inherits
// the console's policy: the mail's own inline styles are allowed by hash, and nothing else.
const CONSOLE_STYLES = `'self' 'unsafe-hashes' ${[...new Set(Object.values(MAIL_STYLES))].map(styleHash).join(' ')}`;

const EMBEDDABLE = /^\/(badge\.svg|widget|feed\.(atom|rss)|maintenance\.ics|api\/v2\/.*)$/;
const site = { ...BASE, 'content-security-policy': contentSecurityPolicy("'self'", "'self'") };
const embeddable = { ...site, 'cross-origin-resource-policy': 'cross-origin' };
const { 'x-frame-options': _frame, ...frameable } = embeddable;
const widget = { ...frameable, 'content-security-policy': contentSecurityPolicy("'self'", '*') };
const consolePages = { ...site, 'content-security-policy': contentSecurityPolicy(CONSOLE_STYLES, "'none'") };

export function securityHeaders(pathname: string): Readonly<Record<string, string>> {
  if (pathname === '/widget') return widget;
  if (pathname === '/admin' || pathname.startsWith('/admin/')) return consolePages;
  return EMBEDDABLE.test(pathname) ? embeddable : site;
}
