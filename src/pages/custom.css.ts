import type { APIRoute } from 'astro';
import { heraldRuntime } from '../boot.ts';
import { pageSettings } from '../services/settings.ts';
import { setCacheTags } from '../publishing/cache-tags.ts';
import { customStylesheet } from '../render/stylesheets.ts';

// The owner's custom CSS (docs/branding.md), kept in the site cache like /site.css: a settings
// change invalidates `status`, and the pages link it with a new ?v= at the same time.
export const GET: APIRoute = async () => {
  const settings = await pageSettings((await heraldRuntime()).ctx);
  const headers = new Headers({ 'content-type': 'text/css; charset=utf-8' });
  setCacheTags(headers, ['status']);
  return new Response(customStylesheet(settings.custom_css).css, { headers });
};
