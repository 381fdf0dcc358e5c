import { createHash } from 'node:crypto';
import { brandOnDark } from '../domain/contrast.ts';
import adminCss from '../styles/admin.css?raw';
import siteCss from '../styles/site.css?raw';

/**
 * The pages' stylesheets, served as files so that the Content-Security-Policy needs no inline
 * style (src/http/security-headers.ts). Each address carries a version drawn from its bytes, so
 * a page never pairs with an older stylesheet, and pages stay byte-identical between renders.
 */
export type Stylesheet = { href: string; version: string; css: string };

const DEFAULT_BRAND = '#2563eb';
const versionOf = (css: string) => createHash('sha256').update(css).digest('base64url').slice(0, 12);

function stylesheet(path: string, css: string): Stylesheet {
  const version = versionOf(css);
  return { href: `${path}?v=${version}`, version, css };
}

/**
 * The public pages' stylesheet: site.css with the page's brand colour. Served from the site cache
 * as /site.css (src/pages/site.css.ts), and exported with the public site.
 */
export function publicStylesheet(brandColor: string): Stylesheet {
  const brand = /^#[0-9a-fA-F]{6}$/.test(brandColor) ? brandColor : DEFAULT_BRAND;
  return stylesheet('/site.css', `${siteCss}\n:root{--brand:${brand};--brand-on-dark:${brandOnDark(brand)}}\n`);
}

// What /custom.css answers while no custom CSS is set: an export or a stale page may still ask.
const NO_CUSTOM_CSS = '/* No custom CSS is set (console: Settings, Branding). */\n';

/**
 * The owner's custom CSS (settings.custom_css), served as /custom.css (src/pages/custom.css.ts)
 * from the site cache and linked after /site.css, so its rules win over the page's own.
 */
export function customStylesheet(css: string | null): Stylesheet {
  return stylesheet('/custom.css', css ?? NO_CUSTOM_CSS);
}

/**
 * The console's branding preview in the colour being chosen, before it is saved: the preview's
 * own custom properties only, so the console around it keeps its colours.
 */
export function brandPreviewCss(brandColor: string): string {
  const brand = /^#[0-9a-fA-F]{6}$/.test(brandColor) ? brandColor : DEFAULT_BRAND;
  return `.brand-preview{--brand:${brand};--link:${brand}}\n.brand-preview .preview-dark{--link:${brandOnDark(brand)}}\n`;
}

/** The console's stylesheet (src/pages/console.css.ts): the site's, its own, and a fixed brand colour. */
export const CONSOLE_STYLESHEET = stylesheet(
  '/console.css',
  `${siteCss}\n${adminCss}\n:root{--brand:${DEFAULT_BRAND}}\n`,
);
