/**
 * The company's look beyond a name and a colour: logos, a favicon, header links and texts.
 * The limits are the public header's and footer's: six links fit a phone's header in two rows.
 */
export const MAX_HEADER_LINKS = 6;
export const MAX_LINK_LABEL = 40;
export const MAX_PAGE_TEXT = 2000;

export type HeaderLink = { label: string; url: string };

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * Whether an image (logo, favicon) may be linked from the public page: https, which the page's
 * Content-Security-Policy allows (img-src https:), or http on this machine's loopback, where a
 * test or a local preview serves it. No whitespace: the dark logo goes into a srcset, where a
 * space would split the address.
 */
export function isImageUrl(value: string): boolean {
  if (/\s/.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'http:' && LOOPBACK.test(url.hostname);
}

/**
 * The header links as kept in settings.header_links (JSON). Anything else than a list of
 * { label, url } (a hand-edited row) shows no links rather than breaking every public page.
 */
export function headerLinksOf(json: string | null): HeaderLink[] {
  let value: unknown;
  try {
    value = JSON.parse(json ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (v): v is HeaderLink =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as Record<string, unknown>).label === 'string' &&
        typeof (v as Record<string, unknown>).url === 'string',
    )
    .map(({ label, url }) => ({ label, url }))
    .slice(0, MAX_HEADER_LINKS);
}
