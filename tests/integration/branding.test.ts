import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { PUBLIC_CACHE_CONTROL } from '../../src/publishing/site-cache.ts';
import { type Harness, json, startHarness } from '../helpers/harness.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';

type Problem = { status: number; detail: string; errors?: Array<{ field: string; message: string }> };
type Settings = { header_links: Array<{ label: string; url: string }>; custom_css: string | null; logo_url: string };

describe('branding settings through the admin API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function refused(body: unknown): Promise<Array<{ field: string; message: string }>> {
    const res = await h.call('PATCH', '/api/admin/settings', { body });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    return (await json<Problem>(res)).errors ?? [];
  }

  it('refuses CSS that could leave its stylesheet, import another or load over plain http, and saves nothing', async () => {
    const before = await json(await h.call('GET', '/api/admin/settings'));
    for (const [css, message] of [
      ['.a{}</style><script>alert(1)</script>', /must not contain “<”/],
      ['@import url(https://evil.example/x.css);', /must not use @import/],
      ['@\\69mport "https://evil.example/x.css";', /must not use @import/],
      ['.a{background:url(http://tracker.example/p.gif)}', /may only load https addresses/],
      [".a{background:url('data:image/png;base64,AAAA')}", /may only load https addresses/],
      [`/*${'x'.repeat(16_381)}*/`, /at most 16 KB/],
    ] as const) {
      expect(await refused({ custom_css: css, page_name: 'Changed' })).toEqual([
        { field: 'custom_css', message: expect.stringMatching(message) },
      ]);
    }
    expect(await json(await h.call('GET', '/api/admin/settings'))).toEqual(before);
  });

  it('refuses a seventh header link, a link that is not http(s), a long label, and names each', async () => {
    const link = { label: 'Docs', url: 'https://docs.example.com' };
    expect(await refused({ header_links: Array.from({ length: 7 }, () => link) })).toEqual([
      { field: 'header_links', message: 'must have at most 6 links' },
    ]);
    expect(
      await refused({
        header_links: [
          link,
          { label: 'x'.repeat(41), url: 'javascript:alert(1)' },
          { label: '', url: 'https://a.example' },
        ],
      }),
    ).toEqual([
      { field: 'header_links.1.label', message: 'must be at most 40 characters' },
      { field: 'header_links.1.url', message: 'must be an absolute http(s) URL' },
      { field: 'header_links.2.label', message: 'must not be empty' },
    ]);
  });

  it('takes logos and the favicon over https (http only on loopback), and texts up to 2,000 characters', async () => {
    const errors = await refused({
      logo_url: 'http://cdn.example.com/logo.svg',
      logo_dark_url: 'data:image/svg+xml,<svg/>',
      favicon_url: 'https://cdn.example.com/my icon.png',
      footer_markdown: 'x'.repeat(2001),
      about_markdown: 'y'.repeat(2001),
    });
    expect(errors.map((e) => `${e.field}: ${e.message}`).sort()).toEqual([
      'about_markdown: must be at most 2,000 characters',
      'favicon_url: must be an https:// address of the image (http only on localhost)',
      'footer_markdown: must be at most 2,000 characters',
      'logo_dark_url: must be an https:// address of the image (http only on localhost)',
      'logo_url: must be an https:// address of the image (http only on localhost)',
    ]);
  });

  it('lets only an owner brand the page, keeps the links as a list, and audits the change', async () => {
    const patch = {
      logo_url: 'https://cdn.example.com/logo.svg',
      logo_dark_url: 'http://127.0.0.1:9/logo-dark.svg',
      header_links: [{ label: 'Docs', url: 'https://docs.example.com' }],
      footer_markdown: '  © Acme  ',
      about_markdown: '',
      custom_css: `/*${'x'.repeat(16_380)}*/`,
    };
    expect((await h.call('PATCH', '/api/admin/settings', { as: 'editor', body: patch })).status).toBe(403);
    const res = await h.call('PATCH', '/api/admin/settings', { body: patch });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      ...patch,
      footer_markdown: '© Acme',
      about_markdown: null,
      custom_css: patch.custom_css,
    });
    expect(await json(await h.call('GET', '/api/admin/settings', { as: 'viewer' }))).toMatchObject({
      header_links: patch.header_links,
    });
    const [entry] = await json<Array<{ action: string; details: Record<string, { from: unknown; to: unknown }> }>>(
      await h.call('GET', '/api/admin/audit-log?action=settings.update'),
    );
    expect(entry?.details.header_links).toEqual({ from: '[]', to: JSON.stringify(patch.header_links) });
    expect(entry?.details.logo_dark_url).toEqual({ from: null, to: patch.logo_dark_url });
    // An empty list and empty CSS take the branding away again.
    const cleared = await json<Settings>(
      await h.call('PATCH', '/api/admin/settings', { body: { header_links: [], custom_css: '  ' } }),
    );
    expect([cleared.header_links, cleared.custom_css]).toEqual([[], null]);
  });
});

describe('the branded public site, served by the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-branding-'));
  let server: ServerProcess;
  let api: ReturnType<typeof adminApi>;
  let incidentCode = '';
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
  const html = async (path: string) => (await get(path)).text();
  const customHref = (page: string) => /<link rel="stylesheet" href="(\/custom\.css\?v=[\w-]+)"/.exec(page)?.[1];

  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
    api = adminApi(server, await ownerToken(server));
    await api('PATCH', '/settings', {
      page_name: 'Acme Cloud',
      brand_color: '#0b5394',
      support_url: 'https://acme.example/support',
    });
    const component = await api<{ id: string }>('POST', '/components', { name: 'API' });
    const incident = await api<{ id: string; code: string }>('POST', '/incidents', {
      name: 'Slow API',
      body: 'Looking.',
      components: { [component.id]: 'degraded_performance' },
      notify: false,
    });
    await api('POST', `/incidents/${incident.id}/resolve`, { notify: false });
    incidentCode = incident.code;
  });
  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows no branding, links no custom CSS and keeps the status favicon until the owner sets some', async () => {
    const page = await html('/');
    expect(page).not.toContain('class="site-logo"');
    expect(page).not.toContain('class="header-links"');
    expect(page).not.toContain('class="footer-text"');
    expect(page).not.toContain('class="about"');
    expect(customHref(page)).toBeUndefined();
    expect(page).toContain('<link rel="icon" href="/favicon-none.svg" type="image/svg+xml">');
    // The file exists all the same (an export or an old page may ask for it), and says why it is empty.
    const css = await get('/custom.css');
    expect([css.status, await css.text()]).toEqual([200, expect.stringMatching(/^\/\* No custom CSS is set/)]);
  });

  it('renders the logo in both schemes, the header links, footer and about text, sanitised, and links /custom.css after /site.css', async () => {
    await api('PATCH', '/settings', {
      logo_url: 'https://cdn.acme.example/logo.svg',
      logo_dark_url: 'https://cdn.acme.example/logo-dark.svg',
      favicon_url: 'https://cdn.acme.example/favicon.png',
      header_links: [
        { label: 'Acme home', url: 'https://acme.example' },
        { label: 'Docs & guides', url: 'https://docs.acme.example/?a=1&b=2' },
      ],
      footer_markdown: '© 2026 Acme Inc. · [Privacy](https://acme.example/privacy) <script>alert(1)</script>',
      about_markdown: 'We run **Acme Cloud** in three regions. [Evil](javascript:alert(1))',
      custom_css: ':root { --logo-height: 36px; }\n.site-header { background: var(--card); }',
    });
    const page = await html('/');
    expect(page).toContain(
      '<picture class="site-logo"><source media="(prefers-color-scheme: dark)" srcset="https://cdn.acme.example/logo-dark.svg"><img src="https://cdn.acme.example/logo.svg" alt="" height="28"></picture>',
    );
    expect(page).toMatch(
      /<nav class="header-links" aria-label="Links"><a href="https:\/\/acme\.example" rel="noopener">Acme home<\/a><a href="https:\/\/docs\.acme\.example\/\?a=1&amp;b=2" rel="noopener">Docs &amp; guides<\/a><\/nav>/,
    );
    const footer = page.slice(page.indexOf('<footer'));
    expect(footer).toContain('<div class="footer-text"><p>© 2026 Acme Inc. · <a href="https://acme.example/privacy"');
    expect(footer).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)');
    const about = page.slice(
      page.indexOf('<section class="about"'),
      page.indexOf('</section>', page.indexOf('class="about"')),
    );
    expect(about).toContain('<h2 id="about-heading" class="section-title">');
    expect(about).toContain('We run <strong>Acme Cloud</strong> in three regions.');
    // markdown-it refuses the javascript: link: it stays text.
    expect(about).not.toContain('href="javascript:');
    // The owner's icon replaces the status icons (it has no colour for each status).
    expect(page).toContain('<link rel="icon" href="https://cdn.acme.example/favicon.png">');
    const site = page.indexOf('<link rel="stylesheet" href="/site.css?v=');
    const href = customHref(page);
    expect(href).toBeDefined();
    expect(site).toBeGreaterThan(0);
    expect(page.indexOf(href ?? '')).toBeGreaterThan(site);
  });

  it('shows the header links, footer and custom CSS on every public page, and the about text on the home page only', async () => {
    const home = await html('/');
    for (const path of ['/history', `/incidents/${incidentCode}`, '/subscribe', '/no/such/page']) {
      const page = await html(path);
      expect([path, page.includes('class="header-links"')]).toEqual([path, true]);
      expect([path, page.includes('class="footer-text"')]).toEqual([path, true]);
      expect([path, customHref(page)]).toEqual([path, customHref(home)]);
      expect([path, page.includes('class="about"')]).toEqual([path, false]);
    }
  });

  it('has in its markup and /site.css every class name and custom property docs/branding.md promises', async () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/branding.md'), 'utf8');
    const classes = [...doc.matchAll(/^\| `\.([\w-]+)(\*)?`/gm)].map((m) => ({ name: m[1] ?? '', family: !!m[2] }));
    const properties = [
      ...new Set(
        [...doc.matchAll(/^\| `(--[\w-]+)`(?:, `(--[\w-]+)`)*/gm)].flatMap((m) => m[0].match(/--[\w-]+/g) ?? []),
      ),
    ];
    expect(classes.length).toBeGreaterThan(20);
    expect(properties.length).toBeGreaterThan(12);
    const markup = (await Promise.all(['/', `/incidents/${incidentCode}`, '/history'].map(html))).join('\n');
    const inMarkup = ({ name, family }: { name: string; family: boolean }) =>
      new RegExp(`class="(?:[^"]*\\s)?${name}${family ? '[\\w-]+' : ''}(?:\\s[^"]*)?"`).test(markup);
    expect(classes.filter((c) => !inMarkup(c)).map((c) => c.name)).toEqual([]);
    const css = await html('/site.css');
    expect(properties.filter((p) => !css.includes(`${p}:`))).toEqual([]);
  });

  it('serves /custom.css as CSS from the page cache, under the same strict policy as the pages', async () => {
    await get('/custom.css');
    const res = await get('/custom.css', { 'accept-encoding': 'br' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-cache')).toBe('HIT');
    expect(res.headers.get('cache-control')).toBe(PUBLIC_CACHE_CONTROL);
    expect(res.headers.get('etag')).toMatch(/^"/);
    expect(res.headers.get('content-security-policy')).toMatch(/(^|; )style-src 'self'(;|$)/);
    const plain = await get('/custom.css');
    expect(await plain.text()).toBe(':root { --logo-height: 36px; }\n.site-header { background: var(--card); }');
    const again = await get('/custom.css', { 'if-none-match': plain.headers.get('etag') ?? '' });
    expect(again.status).toBe(304);
  });

  it('serves the new CSS under a new address as soon as the owner changes it, and drops the link when it is cleared', async () => {
    const before = customHref(await html('/'));
    await api('PATCH', '/settings', { custom_css: '.site-footer { border-top-width: 3px; }' });
    const after = customHref(await html('/'));
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(customHref(await html('/history'))).toBe(after);
    expect(await (await get(after ?? '')).text()).toBe('.site-footer { border-top-width: 3px; }');
    await api('PATCH', '/settings', { custom_css: null, favicon_url: null });
    const page = await html('/');
    expect(customHref(page)).toBeUndefined();
    expect(page).toContain('<link rel="icon" href="/favicon-none.svg" type="image/svg+xml">');
    await api('PATCH', '/settings', { custom_css: '.site-footer { border-top-width: 3px; }' });
  });

  it('exports /custom.css and pages that link it and the logos, as the live site serves them', async () => {
    const out = join(dir, 'export');
    await promisify(execFile)(process.execPath, ['src/cli/export.ts', out, '--from', server.url], {
      cwd: join(import.meta.dirname, '../..'),
    });
    expect(readFileSync(join(out, 'custom.css'), 'utf8')).toBe(await (await get('/custom.css')).text());
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toBe(await (await get('/', { 'accept-encoding': 'identity' })).text());
    expect(customHref(index)).toMatch(/^\/custom\.css\?v=/);
    expect(index).toContain('srcset="https://cdn.acme.example/logo-dark.svg"');
    expect(index).toContain('<img src="https://cdn.acme.example/logo.svg"');
    expect(readFileSync(join(out, 'history.html'), 'utf8')).toContain('href="https://docs.acme.example/?a=1&amp;b=2"');
  });
});
