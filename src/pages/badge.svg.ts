import type { APIRoute } from 'astro';
import { heraldRuntime } from '../boot.ts';
import { getPublicStatus } from '../services/public-status.ts';
import { statusBadge } from '../render/badge.ts';
import { setCacheTags } from '../publishing/cache-tags.ts';
import { pageLanguage } from '../publishing/page-language.ts';
import { INDICATOR_KEYS } from '../i18n/labels.ts';

export const GET: APIRoute = async ({ request, rewrite }) => {
  const runtime = await heraldRuntime();
  const page = await getPublicStatus(runtime.ctx);
  const { t, language, offered } = pageLanguage(request, runtime.siteCache.renderSecret, page.settings);
  if (!offered) return rewrite('/404');
  const headers = new Headers({ 'content-type': 'image/svg+xml; charset=utf-8', 'access-control-allow-origin': '*' });
  setCacheTags(headers, ['status']);
  const status = { indicator: page.status.indicator, description: t(INDICATOR_KEYS[page.status.indicator]) };
  return new Response(statusBadge(page.settings.page_name, status, language.code), { headers });
};
