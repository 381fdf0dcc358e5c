import type { APIRoute } from 'astro';
import { heraldRuntime } from '../boot.ts';
import { getPublicStatus } from '../services/public-status.ts';
import { statusBadge } from '../render/badge.ts';
import { setCacheTags } from '../publishing/cache-tags.ts';

export const GET: APIRoute = async () => {
  const page = await getPublicStatus((await heraldRuntime()).ctx);
  const headers = new Headers({ 'content-type': 'image/svg+xml; charset=utf-8', 'access-control-allow-origin': '*' });
  setCacheTags(headers, ['status']);
  return new Response(statusBadge(page.settings.page_name, page.status), { headers });
};
