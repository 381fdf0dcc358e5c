import type { APIRoute } from 'astro';
import { CONSOLE_STYLESHEET } from '../render/stylesheets.ts';

// The console's stylesheet. Its address carries the version of its bytes, so the version asked
// for may be kept for good; any other version is the current bytes, to be checked again.
export const GET: APIRoute = ({ url }) => {
  const current = url.searchParams.get('v') === CONSOLE_STYLESHEET.version;
  return new Response(CONSOLE_STYLESHEET.css, {
    headers: {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': current ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
  });
};
