import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';
import { serveStatic } from '../helpers/static-server.ts';

type Api = ReturnType<typeof adminApi>;
type Created = { id: string; code: string };

describe('the public site served by the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-public-'));
  let server: ServerProcess;
  let api: Api;
  let apiId = '';
  let webId = '';
  let dbId = '';

  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
    api = adminApi(server, await ownerToken(server));
    await api('PATCH', '/settings', { page_name: 'Acme Cloud', time_zone: 'Europe/Paris' });
    const group = await api<Created>('POST', '/component-groups', { name: 'Core' });
    apiId = (await api<Created>('POST', '/components', { name: 'API', group_id: group.id })).id;
    webId = (await api<Created>('POST', '/components', { name: 'Dashboard', group_id: group.id })).id;
    dbId = (await api<Created>('POST', '/components', { name: 'Database' })).id;
  });
  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
  const html = async (path: string) => (await get(path)).text();
  const setStatus = (id: string, status: string) => api('PATCH', `/components/${id}`, { status });

  it('says All Systems Operational, in words and icon, when everything is up', async () => {
    const page = await html('/');
    expect(page).toContain('indicator-none');
    expect(page).toMatch(/aria-hidden="true">✓<\/span> All Systems Operational/);
    expect(page).toMatch(/API<\/span>.*Operational/s);
  });

  for (const [status, words, indicator] of [
    ['degraded_performance', 'Minor Service Outage', 'minor'],
    ['partial_outage', 'Partial System Outage', 'major'],
    ['major_outage', 'Major Service Outage', 'critical'],
  ] as const) {
    it(`shows ${words} when a component has a ${status.replace('_', ' ')}`, async () => {
      await setStatus(dbId, status);
      const page = await html('/');
      expect(page).toContain(`indicator-${indicator}`);
      expect(page).toContain(words);
      await setStatus(dbId, 'operational');
    });
  }

  it('lists several active incidents with their latest update and affected components', async () => {
    const a = await api<Created>('POST', '/incidents', {
      name: 'Slow API',
      body: 'Looking at latency.',
      components: { [apiId]: 'degraded_performance' },
      notify: false,
    });
    const b = await api<Created>('POST', '/incidents', {
      name: 'Dashboard errors',
      body: 'Errors on login.',
      components: { [webId]: 'partial_outage' },
      notify: false,
    });
    await api('POST', `/incidents/${a.id}/updates`, {
      status: 'identified',
      body: 'A noisy neighbour.',
      notify: false,
    });
    const page = await html('/');
    const active = page.slice(page.indexOf('Active incidents'), page.indexOf('id="components-heading"'));
    expect(active).toContain('Slow API');
    expect(active).toContain('Dashboard errors');
    expect(active).toContain('A noisy neighbour.');
    expect(active).not.toContain('Looking at latency.');
    expect(active).toMatch(/Affects API/);
    await api('POST', `/incidents/${a.id}/resolve`, { notify: false });
    await api('POST', `/incidents/${b.id}/resolve`, { notify: false });
  });

  it('shows maintenance in progress and upcoming', async () => {
    const now = Date.now();
    const upcoming = await api<Created>('POST', '/maintenance', {
      name: 'Database upgrade',
      body: 'Read-only for 5 minutes.',
      components: [dbId],
      notify: false,
      scheduled_for: new Date(now + 86_400_000).toISOString(),
      scheduled_until: new Date(now + 90_000_000).toISOString(),
    });
    const running = await api<Created>('POST', '/maintenance', {
      name: 'Network work',
      body: 'Moving racks.',
      components: [webId],
      notify: false,
      auto_start: false,
      scheduled_for: new Date(now - 60_000).toISOString(),
      scheduled_until: new Date(now + 3_600_000).toISOString(),
    });
    await api('POST', `/maintenance/${running.id}/start`, { notify: false });
    const page = await html('/');
    expect(page).toContain('indicator-maintenance');
    expect(page).toContain('Service Under Maintenance');
    expect(page).toMatch(/Maintenance in progress.*Network work/s);
    expect(page).toMatch(/Scheduled maintenance.*Database upgrade/s);
    expect(page).toMatch(/Dashboard<\/span>.*Under Maintenance/s);
    await api('POST', `/maintenance/${running.id}/complete`, { notify: false });
    await api('POST', `/maintenance/${upcoming.id}/cancel`, { notify: false });
  });

  it('gives a resolved incident a permalink with every update, anchors, local and UTC times, postmortem and unfurl tags', async () => {
    const incident = await api<Created>('POST', '/incidents', {
      name: 'Login outage',
      body: 'Logins fail.',
      components: { [webId]: 'major_outage' },
      notify: false,
    });
    await api('POST', `/incidents/${incident.id}/resolve`, { body: 'Logins work again.', notify: false });
    await api('PUT', `/incidents/${incident.id}/postmortem`, { body: '## Root cause\nAn expired certificate.' });
    await api('POST', `/incidents/${incident.id}/postmortem/publish`, { notify: false });
    const full = await api<{ incident_updates: Array<{ id: string }> }>('GET', `/incidents/${incident.id}`);
    const page = await html(`/incidents/${incident.code}`);
    for (const u of full.incident_updates) expect(page).toContain(`id="update-${u.id}"`);
    expect(page.indexOf('Logins work again.')).toBeLessThan(page.indexOf('Logins fail.'));
    expect(page).toMatch(/<h2 id="postmortem-heading">Postmortem<\/h2>.*<h2>Root cause<\/h2>/s);
    expect(page).toMatch(/title="\d{4}-\d\d-\d\d \d\d:\d\d UTC"/);
    expect(page).toMatch(/CET|CEST/);
    expect(page).toContain('<meta property="og:title" content="Login outage · Acme Cloud">');
    expect(page).toContain('<meta property="og:description" content="Resolved: Logins work again.">');
    expect(page).toContain(`<meta property="og:url" content="${server.url}/incidents/${incident.code}">`);
    expect(page).toContain('<meta name="twitter:card" content="summary">');
  });

  it('serves the home page from cache, with ETag, 304, br and gzip, and shows a write at once', async () => {
    await get('/');
    const first = await get('/');
    expect(first.headers.get('x-cache')).toBe('HIT');
    const etag = first.headers.get('etag') ?? '';
    expect(first.headers.get('cache-control')).toBe(
      'public, max-age=10, stale-while-revalidate=60, stale-if-error=86400',
    );
    expect(first.headers.get('last-modified')).toBeTruthy();
    expect((await get('/', { 'if-none-match': etag })).status).toBe(304);
    const raw = await fetch(`${server.url}/`, { headers: { 'accept-encoding': 'br' } });
    expect(raw.headers.get('content-encoding')).toBe('br');

    await setStatus(apiId, 'partial_outage');
    const after = await get('/', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Partial System Outage');
    await setStatus(apiId, 'operational');
  });

  it('invalidates exactly what a write touches: a status change leaves the history and other permalinks cached', async () => {
    const other = await api<Created>('POST', '/incidents', {
      name: 'Old note',
      body: 'Nothing to see.',
      components: {},
      notify: false,
    });
    await api('POST', `/incidents/${other.id}/resolve`, { notify: false });
    for (const path of ['/history', `/incidents/${other.code}`, '/']) await get(path);
    const before = await Promise.all(
      ['/history', `/incidents/${other.code}`, '/'].map(async (p) => (await get(p)).headers.get('etag')),
    );
    await setStatus(dbId, 'degraded_performance');
    const history = await get('/history');
    const permalink = await get(`/incidents/${other.code}`);
    const home = await get('/');
    expect([history.headers.get('x-cache'), history.headers.get('etag')]).toEqual(['HIT', before[0]]);
    expect([permalink.headers.get('x-cache'), permalink.headers.get('etag')]).toEqual(['HIT', before[1]]);
    expect(home.headers.get('etag')).not.toBe(before[2]);
    await setStatus(dbId, 'operational');
  });

  it('never renders for odd query strings or huge headers, and answers unknown paths with the 404 page', async () => {
    const base = await get('/', { 'accept-encoding': 'identity' });
    const odd = await get(`/?utm_source=x&q=${'a'.repeat(6000)}&__proto__=1&page=-1`, {
      'x-junk': 'b'.repeat(6000),
      'accept-encoding': 'zzz;q=oops',
    });
    expect(odd.status).toBe(200);
    expect(odd.headers.get('x-cache')).toBe('HIT');
    expect(odd.headers.get('etag')).toBe(base.headers.get('etag'));
    await get('/no/such/page');
    const missing = await get(`/another/missing/page?${'x'.repeat(3000)}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-cache')).toBe('HIT');
    expect(await missing.text()).toContain('This page does not exist');
    const unknownIncident = await get('/incidents/zzzzzzzz');
    expect(unknownIncident.status).toBe(404);
    expect((await get('/history/999')).status).toBe(200);
    expect((await get('/history/0')).status).toBe(404);
  });

  it('keeps the home page under 30 KB compressed, with no third-party requests', async () => {
    for (let i = 0; i < 15; i++) await api('POST', '/components', { name: `Extra service ${i}` });
    const res = await fetch(`${server.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    const text = await res.text();
    const compressed = Number(res.headers.get('content-length'));
    expect(compressed).toBeGreaterThan(0);
    expect(compressed).toBeLessThan(30 * 1024);
    expect(text).not.toMatch(/(src|href)="(https?:)?\/\/(?!127\.0\.0\.1)/);
  });

  it('serves a badge and an embeddable widget', async () => {
    const badge = await get('/badge.svg');
    expect(badge.headers.get('content-type')).toContain('image/svg+xml');
    expect(badge.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await badge.text()).toMatch(/<svg[^>]+aria-label="Acme Cloud: [A-Za-z ]+"/);
    const widget = await get('/widget');
    expect(widget.headers.get('x-frame-options')).toBeNull();
    expect(widget.headers.get('content-security-policy')).toMatch(/(^|; )frame-ancestors \*(;|$)/);
    expect((await get('/')).headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('exports the site as static files that a plain static server serves byte for byte like the live site', async () => {
    const out = join(dir, 'export');
    await promisify(execFile)(process.execPath, ['src/cli/export.ts', out, '--from', server.url], {
      cwd: join(import.meta.dirname, '../..'),
    });
    const files: string[] = [];
    const walk = (d: string) =>
      readdirSync(d).forEach((f) =>
        statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : files.push(relative(out, join(d, f))),
      );
    walk(out);
    expect(files).toEqual(
      expect.arrayContaining([
        'index.html',
        'history.html',
        '404.html',
        'badge.svg',
        'widget.html',
        'favicon.svg',
        '.herald-export',
      ]),
    );
    // Nothing private or interactive: no console page, setup, invitation or subscription form.
    expect(
      files.filter((f) => /^(admin|setup|invite|subscribe|subscriptions|api\/admin|api\/public)(\.html|\/|$)/.test(f)),
    ).toEqual([]);
    // 404.html is what a static host answers for any unknown path; /404 itself is not a page.
    const pages = files
      .filter((f) => !['favicon.svg', 'sw.js', 'push.js', '.herald-export'].includes(f))
      .map((f) => (f === 'index.html' ? '/' : f === '404.html' ? '/no/such/page' : `/${f.replace(/\.html$/, '')}`));
    expect(pages.some((p) => p.startsWith('/incidents/'))).toBe(true);
    const staticServer = await serveStatic(out);
    try {
      for (const path of pages) {
        const [live, exported] = await Promise.all([
          fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'identity' } }),
          fetch(`${staticServer.url}${path}`),
        ]);
        expect([path, exported.status]).toEqual([path, live.status]);
        expect(Buffer.from(await exported.arrayBuffer()).equals(Buffer.from(await live.arrayBuffer())), path).toBe(
          true,
        );
      }
    } finally {
      await staticServer.close();
    }
  });
});
