import type { HeaderLink } from '../domain/branding.ts';
import type { PublicSettings } from '../services/settings.ts';
import { renderMarkdown } from './markdown.ts';
import { customStylesheet, type Stylesheet } from './stylesheets.ts';

export type BrandingSettings = Pick<
  PublicSettings,
  'logo_url' | 'logo_dark_url' | 'favicon_url' | 'header_links' | 'footer_markdown' | 'custom_css'
>;

/** The branding as the public layout shows it (src/components/Layout.astro). */
export type Branding = {
  /** The dark variant is only ever a variant: without a light logo there is no logo. */
  logo: { light: string; dark: string | null } | null;
  links: HeaderLink[];
  /** The owner's icon, shown instead of the status favicons; null keeps those. */
  favicon: string | null;
  /** Sanitised HTML (markdown-it without raw HTML), or null for none. */
  footerHtml: string | null;
  /** Linked after /site.css only when there is custom CSS: no request for an empty file. */
  customStylesheet: Stylesheet | null;
};

export function brandingOf(settings: BrandingSettings): Branding {
  return {
    logo: settings.logo_url ? { light: settings.logo_url, dark: settings.logo_dark_url } : null,
    links: settings.header_links,
    favicon: settings.favicon_url,
    footerHtml: pageTextHtml(settings.footer_markdown),
    customStylesheet: settings.custom_css ? customStylesheet(settings.custom_css) : null,
  };
}

/** The footer or "about" markdown as sanitised HTML, or null when there is none. */
export function pageTextHtml(markdown: string | null): string | null {
  return markdown?.trim() ? renderMarkdown(markdown) : null;
}
