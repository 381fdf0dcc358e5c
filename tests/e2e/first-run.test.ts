import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { launchChromium } from '../helpers/browser.ts';

/**
 * The README's walk-through, as a new user does it: start Herald, create the owner from the
 * printed link, make a token, then drive incidents with plain HTTP and read the public page.
 */
describe('a first run of the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-e2e-'));
  const env = { DATABASE_PATH: join(dir, 'herald.db'), HERALD_MAIL_DIR: join(dir, 'mail') };
  let server: ServerProcess;
  let token = '';

  beforeAll(async () => {
    server = await startServer(env);
  });
  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/admin${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Record<string, string> };
  };

  it('prints a one-time setup link that creates the owner through a plain HTML form, in a real browser', async () => {
    const link = /(http:\/\/127\.0\.0\.1:\d+\/setup\?token=[\w-]+)/.exec(server.output())?.[1];
    expect(link).toBeDefined();
    const form = await fetch(link ?? '');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('Create the owner account');

    const short = await fetch(link ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ email: 'lead@example.com', name: 'Lead', password: 'short' }),
    });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain('at least 12 characters');

    // In Chromium: the page's own post must pass the same-site check (its Referrer-Policy decides
    // whether the browser sends an Origin at all), then the owner signs in to the console.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(link ?? '');
      await page.getByLabel('Email').fill('lead@example.com');
      await page.getByLabel('Name').fill('Lead');
      await page.getByLabel(/^Password/).fill('a long enough password');
      await page.getByRole('button', { name: 'Create the owner account' }).click();
      expect(await page.getByRole('status').textContent()).toContain('lead@example.com');
      await page.getByRole('link', { name: 'Sign in to the console' }).click();
      await page.getByLabel('Email').fill('lead@example.com');
      await page.getByLabel('Password').fill('a long enough password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${server.url}/admin`);
      expect(await page.locator('h1').textContent()).toBe('Dashboard');
    } finally {
      await browser.close();
    }

    const reused = await fetch(link ?? '');
    expect(reused.status).toBe(403);
  });

  it('signs in and creates an API token', async () => {
    const signIn = await fetch(`${server.url}/api/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: 'lead@example.com', password: 'a long enough password' }),
    });
    expect(signIn.status).toBe(201);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const res = await fetch(`${server.url}/api/admin/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url, cookie },
      body: JSON.stringify({ name: 'curl' }),
    });
    expect(res.status).toBe(201);
    token = ((await res.json()) as { token: string }).token;
    expect(token).toMatch(/^hrld_/);
  });

  it('runs an incident from open to resolved and shows each step on the public page', async () => {
    const apiComponent = await api('POST', '/components', { name: 'API' });
    await api('POST', '/components', { name: 'Website' });
    expect(apiComponent.status).toBe(201);

    const incident = await api('POST', '/incidents', {
      name: 'Elevated error rates',
      status: 'investigating',
      body: 'We are investigating errors on the API.',
      components: { [String(apiComponent.body.id)]: 'major_outage' },
      notify: false,
    });
    expect(incident.status).toBe(201);

    let home = await (await fetch(`${server.url}/`)).text();
    expect(home).toContain('Major Service Outage');
    expect(home).toContain('Elevated error rates');
    expect(home).toMatch(/API<\/span>.*Major Outage/s);

    await api('POST', `/incidents/${incident.body.id}/updates`, {
      status: 'identified',
      body: 'A bad deploy; rolling back.',
      notify: false,
    });
    const resolved = await api('POST', `/incidents/${incident.body.id}/resolve`, {
      body: 'Error rates are back to normal.',
      notify: false,
    });
    expect(resolved.body.status).toBe('resolved');

    const history = await api('GET', `/components/${apiComponent.body.id}/history`);
    expect((history.body as unknown as Array<{ to_status: string }>).map((h) => h.to_status)).toEqual([
      'operational',
      'major_outage',
      'operational',
    ]);

    home = await (await fetch(`${server.url}/`)).text();
    expect(home).toContain('All Systems Operational');
    expect(home).not.toContain('Active incidents');
    expect(home).toMatch(/Past incidents.*Elevated error rates.*Resolved/s);

    const permalink = await fetch(`${server.url}/incidents/${incident.body.code}`);
    expect(permalink.status).toBe(200);
    const page = await permalink.text();
    expect(page.indexOf('Error rates are back to normal.')).toBeLessThan(page.indexOf('A bad deploy'));
  });

  it('shows markdown from an update safely: formatting kept, script escaped', async () => {
    const incident = await api('POST', '/incidents', {
      name: 'Markdown check',
      body: '**Bold** and <script>alert("x")</script> and [bad](javascript:alert(1))',
      components: {},
      notify: false,
    });
    const page = await (await fetch(`${server.url}/incidents/${incident.body.code}`)).text();
    expect(page).toContain('<strong>Bold</strong>');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;');
    expect(page).not.toContain('href="javascript:');
    await api('DELETE', `/incidents/${incident.body.id}`);
  });

  it('with no SMTP server configured, says so at start and writes each mail as an .eml file', async () => {
    expect(server.output()).toContain(
      `mail: no SMTP_URL: writing each mail as an .eml file under ${join(dir, 'mail')}`,
    );
    const res = await fetch(`${server.url}/api/public/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'reader@example.com' }),
    });
    expect(res.status).toBe(202);
    // The confirmation is queued with the request and written by the mail loop a moment later.
    const emlFiles = () =>
      existsSync(join(dir, 'mail')) ? readdirSync(join(dir, 'mail')).filter((f) => f.endsWith('.eml')) : [];
    await expect.poll(emlFiles, { timeout: 10_000 }).toHaveLength(1);
    const files = emlFiles();
    const mail = readFileSync(join(dir, 'mail', files[0] ?? ''), 'utf8');
    expect(mail).toMatch(/^To: reader@example\.com$/m);
    expect(mail).toContain('Confirm your subscription');
  });

  it('answers an unknown permalink with a real 404 page', async () => {
    const res = await fetch(`${server.url}/incidents/doesnotexist`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('This page does not exist');
  });

  it('keeps everything across a restart on the same database', async () => {
    expect(await server.stop()).toBe(0);
    server = await startServer(env);
    expect(server.output()).not.toContain('No user yet');
    const components = await api('GET', '/components');
    expect((components.body as unknown as Array<{ name: string }>).map((c) => c.name)).toEqual(['API', 'Website']);
  });

  it('refuses to start with a plain message when the configuration is wrong', async () => {
    await expect(startServer({ ...env, HERALD_BASE_URL: 'status.example.com' }, 30_000)).rejects.toThrow(
      /HERALD_BASE_URL must be an absolute http\(s\) URL/,
    );
  });
});
