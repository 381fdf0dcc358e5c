import { type Language, languageOf } from './languages.ts';

/** What the page's settings say about languages: the one at `/`, and the others it offers. */
export type PageLanguages = { defaultLanguage: Language; offered: readonly Language[] };

/** The path segment of a language: lower case, so `/pt-br/` is the Brazilian page. */
export function prefixOf(language: Language): string {
  return `/${language.code.toLowerCase()}`;
}

/**
 * Splits a public path into its language and the page's own path: `/de/incidents/abc` is German
 * `/incidents/abc`; a path without a known prefix is the default language's. A prefix of a
 * language Herald knows but the page does not offer is still recognised (the caller answers 404).
 */
export function splitLanguage(pathname: string): { language: Language | null; path: string } {
  const match = /^\/([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)(\/.*)?$/.exec(pathname);
  const language = match ? languageOf(match[1]) : undefined;
  if (!match || !language) return { language: null, path: pathname };
  return { language, path: match[2] || '/' };
}

/** A page's path in a language: unprefixed for the default one. */
export function localPath(path: string, language: Language, page: PageLanguages): string {
  if (language.code === page.defaultLanguage.code) return path;
  return path === '/' ? `${prefixOf(language)}/` : `${prefixOf(language)}${path}`;
}

/**
 * The best offered language for an Accept-Language header ("de-CH,de;q=0.9,en;q=0.8"): exact
 * tags first, then their primary language; null when none of them is offered.
 */
export function negotiate(header: string | null, offered: readonly Language[]): Language | null {
  if (!header) return null;
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && r.tag !== '*' && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    const exact = offered.find((l) => l.code.toLowerCase() === range.tag);
    if (exact) return exact;
    const primary = range.tag.split('-')[0];
    const near = offered.find((l) => l.code.toLowerCase().split('-')[0] === primary);
    if (near) return near;
  }
  return null;
}
