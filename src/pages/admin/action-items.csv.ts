import type { APIRoute } from 'astro';
import { heraldRuntime } from '../../boot.ts';
import { adminUser, seeOther } from '../../console/admin-auth.ts';
import { exportActionItemsCsv } from '../../services/action-items.ts';
import { DomainError } from '../../services/errors.ts';
import * as schemas from '../../services/schemas.ts';
import { validate } from '../../services/validate.ts';

// The reviews list's "Download CSV": the admin API's export, with the console's session, so a
// signed-out browser is sent to the sign-in form (and back to the list) rather than shown JSON.
export const GET: APIRoute = async ({ cookies, url }) => {
  const runtime = await heraldRuntime();
  const headers = new Headers();
  const user = await adminUser(runtime, { cookies, response: { headers } });
  if (!user) return seeOther('/admin/login?next=%2Fadmin%2Freviews', headers.get('set-cookie'));
  try {
    const query = validate(schemas.actionItemFilter, Object.fromEntries(url.searchParams), 'query string');
    const csv = await exportActionItemsCsv(runtime.ctx, user, {
      ...(query.state ? { state: query.state } : {}),
      ...(query.overdue ? { overdue: true } : {}),
      ...(query.incident_id ? { incidentId: query.incident_id } : {}),
    });
    headers.set('content-type', 'text/csv; charset=utf-8; header=present');
    headers.set('content-disposition', 'attachment; filename="action-items.csv"');
    return new Response(csv, { headers });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    headers.set('content-type', 'text/plain; charset=utf-8');
    return new Response(e.message, { status: 422, headers });
  }
};
