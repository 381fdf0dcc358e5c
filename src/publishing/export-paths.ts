/**
 * Where each public URL lives in a static export: `/` is index.html and a language's home page
 * (`/de/`) de/index.html, a path without an extension gets `.html` (the clean-URL rule of nginx
 * try_files, Caddy, Netlify, Cloudflare Pages and GitHub Pages), `/404` is 404.html, and files
 * with an extension keep their name.
 */
export function exportFileFor(pathname: string): string {
  if (pathname.endsWith('/')) return `${pathname.replace(/^\/+/, '')}index.html`;
  const path = pathname.replace(/^\/+/, '');
  const last = path.split('/').at(-1) ?? '';
  return last.includes('.') ? path : `${path}.html`;
}

/** Internal links of a page, for the export's crawl: same-site paths without query or fragment. */
export function internalLinks(html: string): string[] {
  const links = new Set<string>();
  for (const match of html.matchAll(/href="(\/[^"#?]*)"/g)) {
    const link = match[1];
    if (link && !link.startsWith('//')) links.add(link);
  }
  return [...links];
}
