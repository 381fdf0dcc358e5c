import type { APIRoute } from 'astro';
import { heraldRuntime } from '../../boot.ts';
import { adminUser } from '../../console/admin-auth.ts';
import { brandPreviewCss } from '../../render/stylesheets.ts';

// The settings page's branding preview in the colour being typed, before it is saved: the policy
// refuses inline styles, so the colour comes as a stylesheet of its own (?brand=#rrggbb).
export const GET: APIRoute = async ({ cookies, url }) => {
  const runtime = await heraldRuntime();
  const headers = new Headers({ 'content-type': 'text/css; charset=utf-8' });
  const user = await adminUser(runtime, { cookies, response: { headers } });
  if (!user) return new Response('', { status: 403, headers });
  return new Response(brandPreviewCss(url.searchParams.get('brand') ?? ''), { headers });
};
