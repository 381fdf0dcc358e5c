import { escapeHtml } from '../render/escape-html.ts';

const TITLES: Record<number, string> = {
  400: 'The form could not be read',
  413: 'Too much to send',
  415: 'Not a form',
  429: 'Too many requests',
  503: 'Busy for a moment',
};

/**
 * A refusal for people using the site's forms, answered before any page renders (a body too
 * large, a malformed form, a busy database): plain HTML that needs no script or stylesheet.
 */
export function plainPage(status: number, detail: string, headers: Record<string, string> = {}): Response {
  const title = TITLES[status] ?? 'Something went wrong';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p><p><a href="/">Back to the status page</a></p></main></body></html>
`;
  return new Response(html, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
