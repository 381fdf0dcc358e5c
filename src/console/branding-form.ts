import { type HeaderLink, MAX_HEADER_LINKS } from '../domain/branding.ts';
import { pageTextHtml } from '../render/branding.ts';
import { settingsPatch } from '../services/schemas.ts';
import type { PublicSettings } from '../services/settings.ts';

/** The settings page's Branding fieldset as typed: kept as strings, to be shown again when refused. */
export type BrandingForm = {
  logo_url: string;
  logo_dark_url: string;
  favicon_url: string;
  /** Always MAX_HEADER_LINKS rows; blank rows are no link. */
  links: HeaderLink[];
  footer_markdown: string;
  about_markdown: string;
  custom_css: string;
};

const ROWS = Array.from({ length: MAX_HEADER_LINKS }, (_, i) => i + 1);

export function brandingFormOf(settings: PublicSettings): BrandingForm {
  return {
    logo_url: settings.logo_url ?? '',
    logo_dark_url: settings.logo_dark_url ?? '',
    favicon_url: settings.favicon_url ?? '',
    links: ROWS.map((row) => settings.header_links[row - 1] ?? { label: '', url: '' }),
    footer_markdown: settings.footer_markdown ?? '',
    about_markdown: settings.about_markdown ?? '',
    custom_css: settings.custom_css ?? '',
  };
}

export function readBrandingForm(field: (name: string) => string): BrandingForm {
  return {
    logo_url: field('logo_url'),
    logo_dark_url: field('logo_dark_url'),
    favicon_url: field('favicon_url'),
    links: ROWS.map((row) => ({ label: field(`link_label_${row}`), url: field(`link_url_${row}`) })),
    footer_markdown: field('footer_markdown'),
    about_markdown: field('about_markdown'),
    custom_css: field('custom_css'),
  };
}

const orNull = (v: string) => (v === '' ? null : v);

/** The fieldset as the settings schema takes it (the API's input shape). */
export function brandingInput(form: BrandingForm) {
  return {
    logo_url: orNull(form.logo_url),
    logo_dark_url: orNull(form.logo_dark_url),
    favicon_url: orNull(form.favicon_url),
    // A half-filled row is kept, so the schema says which half is missing.
    header_links: form.links.filter((l) => l.label !== '' || l.url !== ''),
    footer_markdown: orNull(form.footer_markdown),
    about_markdown: orNull(form.about_markdown),
    custom_css: orNull(form.custom_css),
  };
}

const FIELD_NAMES: Record<string, string> = {
  logo_url: 'Logo',
  logo_dark_url: 'Logo for dark mode',
  favicon_url: 'Favicon',
  header_links: 'Header links',
  footer_markdown: 'Footer text',
  about_markdown: 'About this page',
  custom_css: 'Custom CSS',
};

/**
 * How a refusal names a branding field ("Header link 2 URL"), or undefined for the other
 * fields. Links are numbered among the filled rows, which are the ones the schema sees.
 */
export function brandingFieldName(path: readonly PropertyKey[]): string | undefined {
  const [field, index, part] = path;
  if (field === 'header_links' && typeof index === 'number') {
    return `Header link ${index + 1}${part === 'url' ? ' URL' : part === 'label' ? ' label' : ''}`;
  }
  return FIELD_NAMES[String(field)];
}

const PAGE_FIELDS: Record<string, string> = { brand_color: 'Brand colour', support_url: 'Support URL' };

export type BrandingPreview = {
  pageName: string;
  brandColor: string;
  supportUrl: string | null;
  logo: { light: string; dark: string | null } | null;
  links: HeaderLink[];
  footerHtml: string | null;
  aboutHtml: string | null;
  /** What the preview leaves out because the schema refuses it, in the schema's words. */
  problems: string[];
};

/**
 * The public header and footer as they would look with what is typed, saved or not: each value
 * the settings schema refuses is left out and named, the rest is shown as the public page will.
 */
export function brandingPreview(
  form: BrandingForm,
  page: { page_name: string; brand_color: string; support_url: string },
): BrandingPreview {
  const input = { ...brandingInput(form), brand_color: page.brand_color, support_url: orNull(page.support_url) };
  const issues = settingsPatch.safeParse(input).error?.issues ?? [];
  const refused = new Set(issues.map((i) => String(i.path[0])));
  const badLinks = new Set(issues.filter((i) => i.path[0] === 'header_links').map((i) => i.path[1]));
  const kept = <T>(name: string, value: T): T | null => (refused.has(name) ? null : value);
  const light = kept('logo_url', input.logo_url);
  return {
    pageName: page.page_name,
    brandColor: kept('brand_color', page.brand_color) ?? '#2563eb',
    supportUrl: kept('support_url', input.support_url),
    logo: light ? { light, dark: kept('logo_dark_url', input.logo_dark_url) } : null,
    links: input.header_links.slice(0, MAX_HEADER_LINKS).filter((_, i) => !badLinks.has(i)),
    footerHtml: refused.has('footer_markdown') ? null : pageTextHtml(input.footer_markdown),
    aboutHtml: refused.has('about_markdown') ? null : pageTextHtml(input.about_markdown),
    problems: issues.map((i) => `${brandingFieldName(i.path) ?? PAGE_FIELDS[String(i.path[0])]} ${i.message}`),
  };
}
