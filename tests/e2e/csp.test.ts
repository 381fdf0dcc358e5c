import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { launchChromium } from '../helpers/browser.ts';
import { cookieOf, OWNER, signIn } from '../helpers/console.ts';
import { adminApi, ownerToken, seedAcmePage } from '../helpers/seed-server.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';

const PAGES = join(import.meta.dirname, '../../src/pages/admin');
const SHOTS = join(import.meta.dirname, '../.tmp/screenshots');
const BRAND = '#0b5394';

/** Every admin page, as a URL: found on disk, so a new page is held to the policy too. */
function adminUrls(): string[] {
  const files = readdirSync(PAGES, { recursive: true, withFileTypes: true }).filter(
    (f) => f.isFile() && f.name.endsWith('.astro'),
  );
  return files.map((f) => {
    const path = relative(PAGES, join(f.parentPath, f.name))
      .replace(/\.astro$/, '')
      .replace(/(^|\/)index$/, '')
      // The catch-all ([...path]) is the console's 404: an address no page answers.
      .replace(/\[\.\.\.[^\]]+\]/g, 'no-such-page')
      .replace(/\[[^\]]+\]/g, 'abc123');
    return `/admin${path ? `/${path}` : ''}`;
  });
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

describe('a strict Content-Security-Policy on every page, in Debian Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-csp-'));
  let smtp: SmtpSink;
  let server: ServerProcess;
  let browser: Browser;
  let api: ReturnType<typeof adminApi>;
  let setupLink = '';
  let incident = { id: '', code: '' };
  /** Everything the browser said about the policy: violation events (from every frame) and console messages. */
  const violations: string[] = [];
  /** The policy of every document the browser loaded, by path. */
  const policies = new Map<string, string | undefined>();
  const after: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    smtp = await startSmtpSink();
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), SMTP_URL: smtp.url });
    setupLink = /(http:\/\/127\.0\.0\.1:\d+\/setup\?token=[\w-]+)/.exec(server.output())?.[1] ?? '';
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const stop of after) await stop();
    await browser?.close();
    await server?.kill();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A context whose pages report every policy violation and the policy of every document. */
  async function watched(context: BrowserContext): Promise<BrowserContext> {
    await context.addInitScript(() => {
      const seen: string[] = [];
      Reflect.set(window, '__cspViolations', seen);
      document.addEventListener('securitypolicyviolation', (e) => {
        const text = `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.documentURI} (${e.sample})`;
        seen.push(text);
        // Also to the console, so that violations inside frames reach the page's listener.
        console.error(`securitypolicyviolation: ${text}`);
      });
    });
    context.on('console', (message) => {
      if (/Content Security Policy|securitypolicyviolation/i.test(message.text())) violations.push(message.text());
    });
    context.on('response', (response) => {
      if (response.request().resourceType() === 'document' && response.url().startsWith(server.url)) {
        policies.set(new URL(response.url()).pathname, response.headers()['content-security-policy']);
      }
    });
    return context;
  }

  const newPage = async (): Promise<Page> => {
    const page = await (await watched(await browser.newContext())).newPage();
    page.setDefaultTimeout(10_000);
    return page;
  };

  /** Visits a path and says what the policy refused there, from every frame of the page. */
  async function visit(page: Page, path: string, expectedStatus = 200): Promise<string[]> {
    const answer = await page.goto(`${server.url}${path}`).catch((error: unknown) => {
      throw new Error(`${path}: ${String(error)}\n${server.output().slice(-3000)}`);
    });
    expect([path, answer?.status()]).toEqual([path, expectedStatus]);
    await page.waitForLoadState('networkidle');
    return refused(page);
  }

  async function refused(page: Page): Promise<string[]> {
    const found: string[] = [];
    for (const frame of page.frames()) {
      found.push(
        ...((await frame
          .evaluate(() => Reflect.get(window, '__cspViolations') as string[] | undefined)
          .catch(() => undefined)) ?? []),
      );
    }
    return [...found, ...violations.splice(0)];
  }

  function expectStrict(path: string, policy: string | undefined, frameAncestors: string): void {
    expect(policy, path).toBeDefined();
    const directives = new Map(
      (policy ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name = '', ...values]) => [name, values]),
    );
    expect([path, policy]).not.toEqual([path, expect.stringContaining("'unsafe-inline'")]);
    expect([path, policy]).not.toEqual([path, expect.stringContaining("'unsafe-eval'")]);
    expect([path, directives.get('script-src')]).toEqual([path, ["'self'"]]);
    expect([path, directives.get('style-src')?.[0]]).toEqual([path, "'self'"]);
    expect([path, directives.get('default-src')]).toEqual([path, ["'self'"]]);
    expect([path, directives.get('object-src')]).toEqual([path, ["'none'"]]);
    expect([path, directives.get('frame-ancestors')]).toEqual([path, [frameAncestors]]);
  }

  it("sends the same policy from the app and from the front server's cache, on every kind of answer", async () => {
    // /history is not rendered yet: the first answer comes from the app, the second from memory.
    const first = await fetch(`${server.url}/history`);
    const second = await fetch(`${server.url}/history`);
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
    expect(second.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'));
    expectStrict('/history', second.headers.get('content-security-policy') ?? undefined, "'self'");
    const notModified = await fetch(`${server.url}/history`, {
      headers: { 'if-none-match': second.headers.get('etag') ?? '' },
    });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'));
    for (const path of ['/', '/widget', '/nope', '/site.css']) {
      await fetch(`${server.url}${path}`);
      const hit = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'br' } });
      expect([path, hit.headers.get('x-cache')]).toEqual([path, 'HIT']);
      expectStrict(path, hit.headers.get('content-security-policy') ?? undefined, path === '/widget' ? '*' : "'self'");
    }
    expect((await fetch(`${server.url}/widget`)).headers.get('x-frame-options')).toBeNull();
  });

  it('creates the owner on /setup without a violation', async () => {
    const page = await newPage();
    const setup = new URL(setupLink);
    expect(await visit(page, setup.pathname + setup.search)).toEqual([]);
    expectStrict('/setup', policies.get('/setup'), "'self'");
    await page.context().close();

    api = adminApi(server, await ownerToken(server));
    // A table with aligned columns: markdown-it would write inline styles for it.
    const seeded = await seedAcmePage(api, {
      settings: { brand_color: BRAND },
      update: 'A bad deploy; rolling back.\n\n| Region | Errors |\n|:--|--:|\n| eu | 12% |',
    });
    incident = seeded.incident;
    const apiId = seeded.apiId;
    const start = new Date(Date.now() + 86_400_000);
    await api('POST', '/maintenance', {
      name: 'Database upgrade',
      body: 'A short pause.',
      scheduled_for: start.toISOString(),
      scheduled_until: new Date(start.getTime() + 3_600_000).toISOString(),
      components: [apiId],
      notify: false,
    });
  });

  it('shows every public page kind with its styles and no violation', async () => {
    const page = await newPage();
    for (const path of ['/', `/incidents/${incident.code}`, '/history', '/subscribe', '/widget']) {
      expect(await visit(page, path), path).toEqual([]);
      expectStrict(path, policies.get(path), path === '/widget' ? '*' : "'self'");
    }
    expect(await visit(page, '/no/such/page', 404)).toEqual([]);
    expectStrict('/no/such/page', policies.get('/no/such/page'), "'self'");

    await page.setViewportSize({ width: 1100, height: 900 });
    await visit(page, '/');
    // The brand colour from the settings and the uptime bars, from the stylesheet alone.
    expect(await page.locator('.site-header').evaluate((el) => getComputedStyle(el).borderBottomColor)).toBe(
      rgb(BRAND),
    );
    expect(
      await page
        .getByRole('button', { name: 'Subscribe by email' })
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe(rgb(BRAND));
    const bar = page.locator('.bar').first();
    expect(await bar.evaluate((el) => getComputedStyle(el).height)).toBe('28px');
    expect([rgb('#15803d'), rgb('#c2410c')]).toContain(
      await bar
        .locator('li')
        .last()
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    );
    expect(
      await bar
        .locator('li')
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe(rgb('#e5e7eb'));
    expect(await page.locator('.banner').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: join(SHOTS, 'csp-home.png'), fullPage: true });

    await visit(page, `/incidents/${incident.code}`);
    expect(await page.locator('td', { hasText: '12%' }).evaluate((el) => getComputedStyle(el).textAlign)).toMatch(
      /right$/,
    );
    await page.screenshot({ path: join(SHOTS, 'csp-incident.png'), fullPage: true });

    await visit(page, '/widget');
    expect(await page.locator('i').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(rgb('#c2410c'));
    await page.context().close();
  });

  it('lets any other site frame the widget, styled, and no site frame the others', async () => {
    // A customer's site: another origin, on another port.
    const customer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><title>Customer site</title><iframe id="widget" src="${server.url}/widget"></iframe><iframe id="home" src="${server.url}/"></iframe>`,
      );
    });
    const port = await new Promise<number>((resolve) =>
      customer.listen(0, '127.0.0.1', () => resolve((customer.address() as AddressInfo).port)),
    );
    after.push(() => new Promise((resolve) => customer.close(() => resolve())));
    const page = await newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForLoadState('networkidle');
    const widget = page.frameLocator('#widget');
    expect(await widget.locator('i').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(rgb('#c2410c'));
    // The home page refused to be framed, and said so; nothing else was refused.
    const seen = await refused(page);
    expect(seen.some((v) => /frame-ancestors/.test(v))).toBe(true);
    expect(seen.filter((v) => !/frame-ancestors/.test(v))).toEqual([]);
    await page.context().close();
  });

  it('subscribes, confirms, manages and unsubscribes by email without a violation', async () => {
    const page = await newPage();
    await visit(page, '/subscribe');
    await page.getByLabel('Email address').fill('csp@example.com');
    await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
    await page.getByRole('status').waitFor();
    expect(await refused(page)).toEqual([]);
    await until(() => smtp.to('csp@example.com').length === 1, 'the confirmation mail');
    const confirm = new URL(
      /(http:\/\/\S+\/subscriptions\/confirm\/[\w-]+)/.exec(smtp.to('csp@example.com')[0]?.parsed.text ?? '')?.[1] ??
        '',
    );
    expect(await visit(page, confirm.pathname)).toEqual([]);
    expectStrict(confirm.pathname, policies.get(confirm.pathname), "'self'");
    await page.getByRole('button', { name: 'Confirm my subscription' }).click();
    await page.getByRole('link', { name: 'Choose components or unsubscribe' }).click();
    await page.waitForURL(/\/subscriptions\/[\w.-]+$/);
    const manage = new URL(page.url()).pathname;
    expect(await refused(page)).toEqual([]);
    expectStrict(manage, policies.get(manage), "'self'");
    expect(await visit(page, `${manage}/unsubscribe`)).toEqual([]);
    expectStrict(`${manage}/unsubscribe`, policies.get(`${manage}/unsubscribe`), "'self'");
    await page.context().close();
  });

  it('shows every console page, the invitation page, the live preview and the copy buttons without a violation', async () => {
    const page = await signIn(browser, server, OWNER, '/admin', {});
    await watched(page.context());
    // The invitation page, for a new member; made while the owner's sign-in is fresh.
    const invitation = (await (
      await fetch(`${server.url}/api/admin/invitations`, {
        method: 'POST',
        headers: { cookie: await cookieOf(page), origin: server.url, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'invitee@example.com', role: 'viewer' }),
      })
    ).json()) as { link: string };
    const visitor = await newPage();
    const invite = new URL(invitation.link);
    expect(await visit(visitor, invite.pathname + invite.search)).toEqual([]);
    expectStrict('/invite', policies.get('/invite'), "'self'");
    await visitor.context().close();

    const urls = adminUrls();
    expect(urls).toEqual(
      expect.arrayContaining([
        '/admin',
        '/admin/incidents',
        '/admin/incidents/new',
        '/admin/incidents/abc123',
        '/admin/components',
        '/admin/maintenance',
        '/admin/templates',
        '/admin/team',
        '/admin/tokens',
        '/admin/settings',
        '/admin/audit',
        '/admin/account',
      ]),
    );
    for (const url of urls.filter((u) => u !== '/admin/logout')) {
      const path = url === '/admin/confirm' ? '/admin/confirm?next=/admin/team' : url.replace('abc123', incident.id);
      expect(await visit(page, path, path.endsWith('/no-such-page') ? 404 : 200), path).toEqual([]);
      expectStrict(path, policies.get(path.split('?')[0] ?? path), "'none'");
    }

    await page.setViewportSize({ width: 1100, height: 900 });
    await visit(page, '/admin');
    expect(await page.locator('.site-header').evaluate((el) => getComputedStyle(el).borderBottomColor)).toBe(
      rgb('#2563eb'),
    );
    // The open dashboard refreshes its list with fetch (connect-src).
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(SHOTS, 'csp-admin-dashboard.png'), fullPage: true });
    // The copy button, shown and run by /admin.js.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const copy = page.locator('button[data-copy]').first();
    const link = await copy.getAttribute('data-copy');
    expect(link).toMatch(new RegExp(`^${server.url}/incidents/\\w+$`));
    await copy.click();
    // The label changes once the clipboard has taken the link, a moment after the click.
    await expect.poll(() => copy.textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    expect(await refused(page)).toEqual([]);

    // The composer's live preview: the public rendering, and the mail in its srcdoc frame with
    // the mail's own inline styles, which the console's policy allows by hash.
    await visit(page, '/admin/incidents/new');
    await page.getByLabel('Title').fill('Slow API answers');
    await page.getByLabel('Message (markdown)').fill('We are **looking** into it.\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |');
    await page.locator('[data-preview-part="public"] strong', { hasText: 'looking' }).waitFor();
    const mail = page.frameLocator('iframe.preview-email');
    await mail.locator('strong', { hasText: 'looking' }).waitFor();
    expect(await mail.locator('h1').evaluate((el) => getComputedStyle(el).fontSize)).toBe('20px');
    expect(await mail.locator('body').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(31, 41, 55)');
    expect(
      await page
        .locator('[data-preview-part="public"] td', { hasText: '2' })
        .evaluate((el) => getComputedStyle(el).textAlign),
    ).toMatch(/right$/);
    // Console messages come in on their own schedule: give them a moment to arrive.
    await page.waitForTimeout(300);
    expect(await refused(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'csp-admin-composer.png'), fullPage: true });
    await page.context().close();
  });
});
