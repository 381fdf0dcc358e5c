// Shared by the end-to-end tests and the benchmarks: make the owner through the setup link, as a person would, and
// return an API token for the admin API of a freshly started server.
import type { ServerProcess } from '../../src/cli/child-server.ts';

export async function ownerToken(server: ServerProcess): Promise<string> {
  const link = /(http:\/\/127\.0\.0\.1:\d+\/setup\?token=[\w-]+)/.exec(server.output())?.[1];
  if (!link) throw new Error('no setup link printed');
  const form = { method: 'POST', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' } };
  await fetch(link, {
    ...form,
    body: new URLSearchParams({ email: 'bench@example.com', password: 'bench password 123' }),
  });
  const session = await fetch(`${server.url}/api/admin/session`, {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench password 123' }),
  });
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const res = await fetch(`${server.url}/api/admin/tokens`, {
    method: 'POST',
    headers: { origin: server.url, cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  return ((await res.json()) as { token: string }).token;
}

export function adminApi(server: ServerProcess, token: string) {
  return async <T = Record<string, string>>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.url}/api/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

/**
 * The status page the browser tests look at: Acme Cloud, a "Core" group with API and Dashboard,
 * Webhooks on its own, and an open incident on the API (partial outage) with an update.
 */
export async function seedAcmePage(
  api: ReturnType<typeof adminApi>,
  options: { settings?: Record<string, string>; update: string },
): Promise<{ apiId: string; incident: { id: string; code: string } }> {
  await api('PATCH', '/settings', {
    page_name: 'Acme Cloud',
    support_url: 'https://example.com/help',
    ...options.settings,
  });
  const group = await api<{ id: string }>('POST', '/component-groups', { name: 'Core' });
  const { id: apiId } = await api<{ id: string }>('POST', '/components', {
    name: 'API',
    group_id: group.id,
    description: 'Public REST API',
  });
  await api('POST', '/components', { name: 'Dashboard', group_id: group.id });
  await api('POST', '/components', { name: 'Webhooks' });
  const incident = await api<{ id: string; code: string }>('POST', '/incidents', {
    name: 'Elevated API errors',
    body: 'We are investigating **errors** on the API.',
    components: { [apiId]: 'partial_outage' },
    notify: false,
  });
  await api('POST', `/incidents/${incident.id}/updates`, { status: 'identified', body: options.update, notify: false });
  return { apiId, incident };
}
