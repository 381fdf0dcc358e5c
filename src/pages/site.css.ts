import type { APIRoute } from 'astro';
import { heraldRuntime } from '../boot.ts';
import { pageSettings } from '../services/settings.ts';
import { setCacheTags } from '../publishing/cache-tags.ts';
import { publicStylesheet } from '../render/stylesheets.ts';

// The public pages' stylesheet, with the brand colour from the settings; kept in the site cache
// like the pages (a settings change invalidates `status`).
export const GET: APIRoute = async () => {
  const settings = await pageSettings((await heraldRuntime()).ctx);
  const headers = new Headers({ 'content-type': 'text/css; charset=utf-8' });
  setCacheTags(headers, ['status']);
  return new Response(publicStylesheet(settings.brand_color).css, { headers });
};
