import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { cookieOf, OWNER, signIn } from '../helpers/console.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';

const SHOTS = join(import.meta.dirname, '../.tmp/screenshots');

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the owner's pages of the console, in Debian Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-owner-'));
  let smtp: SmtpSink;
  let server: ServerProcess;
  let browser: Browser;
  let api: ReturnType<typeof adminApi>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), SMTP_URL: smtp.url });
    api = adminApi(server, await ownerToken(server));
    await api('POST', '/components', { name: 'API' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** As if the user signed in an hour ago: what a session left open on a shared machine looks like. */
  function ageSessions(email: string): void {
    const db = new Database(join(dir, 'herald.db'));
    try {
      db.prepare(
        'update sessions set created_at = ?, verified_at = null where user_id = (select id from users where email = ?)',
      ).run(new Date(Date.now() - 3_600_000).toISOString(), email);
    } finally {
      db.close();
    }
  }

  it('invites a member by mail; they choose their password, sign in, are demoted (signed out at once) and removed', async () => {
    const owner = await signIn(browser, server, OWNER, '/admin/team');
    await owner.getByLabel('Email').fill('Ed@Example.com');
    await owner.getByRole('radio', { name: /^editor/ }).check();
    await owner.getByRole('button', { name: 'Send the invitation' }).click();
    await owner.waitForLoadState();
    expect(await owner.getByRole('status').textContent()).toContain('The link is on its way by mail');
    const shown = await owner.getByLabel('Invitation link for ed@example.com').inputValue();
    expect(shown).toMatch(/\/invite\?token=[\w-]+$/);
    await until(() => smtp.to('ed@example.com').length === 1, 'the invitation mail');
    const mail = smtp.to('ed@example.com')[0]?.parsed;
    expect(mail?.subject).toContain('invited');
    expect(mail?.text).toContain(shown);
    expect(await owner.getByRole('cell', { name: 'ed@example.com', exact: true }).count()).toBe(1);
    await owner.reload();
    expect(await owner.getByRole('status').textContent()).toContain('already sent');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.to('ed@example.com')).toHaveLength(1);

    const invitee = await (await browser.newContext()).newPage();
    await invitee.goto(shown);
    expect(await invitee.textContent('form')).toContain('editor');
    await invitee.getByLabel('Your name').fill('Ed');
    await invitee.getByLabel(/^Password/).fill('editor password 1');
    await invitee.getByRole('button', { name: 'Create my account' }).click();
    expect(await invitee.getByRole('status').textContent()).toContain('ed@example.com');
    expect((await fetch(shown)).status).toBe(403);

    const ed = await signIn(browser, server, { email: 'ed@example.com', password: 'editor password 1' }, '/admin/team');
    expect(await ed.getByRole('button', { name: 'Send the invitation' }).count()).toBe(0);
    expect(await ed.getByRole('link', { name: 'API tokens' }).count()).toBe(0);

    await owner.goto(`${server.url}/admin/team`);
    const row = owner.locator('form', { has: owner.getByLabel('Role of ed@example.com') });
    await row.getByLabel('Role of ed@example.com').selectOption('viewer');
    await row.getByRole('button', { name: 'Change' }).click();
    await owner.waitForURL(`${server.url}/admin/team`);
    const users = await api<Array<{ email: string; role: string }>>('GET', '/users');
    expect(users.find((u) => u.email === 'ed@example.com')?.role).toBe('viewer');
    await ed.reload();
    expect(ed.url()).toContain('/admin/login');

    // Removing is two clicks: the first only says what will happen.
    const edRow = owner.getByRole('row', { name: /ed@example\.com/ });
    expect(await edRow.getByRole('button', { name: 'Remove ed@example.com' }).isVisible()).toBe(false);
    await edRow.locator('summary', { hasText: 'Remove…' }).click();
    expect(await edRow.textContent()).toContain('signed out at once');
    await edRow.getByRole('button', { name: 'Remove ed@example.com' }).click();
    await owner.waitForURL(`${server.url}/admin/team`);
    expect((await api<Array<{ email: string }>>('GET', '/users')).some((u) => u.email === 'ed@example.com')).toBe(
      false,
    );
  });

  it('asks for the password again before a token or team change when the sign-in is old, in the console and the API', async () => {
    const owner = await signIn(browser, server, OWNER, '/admin/tokens');
    ageSessions(OWNER.email);
    await owner.reload();
    expect(await owner.locator('.notice').first().textContent()).toContain('Confirm it now');
    await owner.getByLabel('Name').fill('alerting');
    await owner.getByRole('button', { name: 'Create token' }).click();
    await owner.waitForURL(/\/admin\/confirm\?next=%2Fadmin%2Ftokens$/);
    expect(await api<unknown[]>('GET', '/tokens')).toHaveLength(1);

    await owner.getByLabel(/^Password for/).fill('not my password');
    await owner.getByRole('button', { name: 'Confirm and continue' }).click();
    expect(await owner.getByRole('alert').textContent()).toContain('wrong');
    await owner.getByLabel(/^Password for/).fill(OWNER.password);
    await owner.getByRole('button', { name: 'Confirm and continue' }).click();
    await owner.waitForURL(`${server.url}/admin/tokens`);
    await owner.getByLabel('Name').fill('alerting');
    await owner.getByRole('button', { name: 'Create token' }).click();
    await owner.waitForLoadState();
    expect(await owner.getByRole('status').textContent()).toContain('shown only this once');
    const secret = await owner.getByLabel('Secret of the token alerting').inputValue();
    expect(secret).toMatch(/^hrld_/);
    const me = (token: string) =>
      fetch(`${server.url}/api/admin/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me(secret)).status).toBe(200);
    // Reloading the answer sends the form again; it must neither make a second token nor show the secret.
    await owner.reload();
    expect(await owner.getByRole('status').textContent()).toContain('already sent');
    expect((await api<Array<{ name: string }>>('GET', '/tokens')).filter((t) => t.name === 'alerting')).toHaveLength(1);
    await owner.goto(`${server.url}/admin/tokens`);
    expect(await owner.content()).not.toContain(secret);
    await owner
      .getByRole('row', { name: /alerting/ })
      .locator('summary', { hasText: 'Revoke…' })
      .click();
    await owner.getByRole('button', { name: 'Revoke the token alerting' }).click();
    await owner.waitForURL(`${server.url}/admin/tokens`);
    expect((await me(secret)).status).toBe(401);

    // The API with the same kind of session: a problem that says what to do, then success.
    ageSessions(OWNER.email);
    const cookie = await cookieOf(owner);
    const call = (method: string, path: string, body: unknown) =>
      fetch(`${server.url}/api/admin${path}`, {
        method,
        headers: { cookie, origin: server.url, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await call('POST', '/invitations', { email: 'late@example.com', role: 'viewer' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ type: 'urn:herald:problem:reauthentication-required' });
    expect((await call('POST', '/session/confirm', { password: OWNER.password })).status).toBe(204);
    const invited = await call('POST', '/invitations', { email: 'late@example.com', role: 'viewer' });
    expect(invited.status).toBe(201);
    expect(await invited.json()).toMatchObject({ email: 'late@example.com', role: 'viewer', mailed: true });
  });

  it('saves page settings through the same rules as the API, and says what is wrong without saving anything', async () => {
    const owner = await signIn(browser, server, OWNER, '/admin/settings');
    await owner.getByLabel('Page name').fill('Acme Status');
    await owner.getByLabel(/^Time zone/).fill('Mars/Olympus_Mons');
    await owner.getByLabel(/^Brand colour/).fill('#ffd700');
    const answer = owner.waitForResponse((r) => r.url().endsWith('/admin/settings') && r.request().method() === 'POST');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    expect((await answer).status()).toBe(422);
    expect(await owner.getByRole('alert').textContent()).toMatch(
      /Nothing was saved\. Time zone .*IANA.*Brand colour is too light/,
    );
    expect(await owner.getByLabel(/^Brand colour/).inputValue()).toBe('#ffd700');
    expect(await owner.getByLabel('Page name').inputValue()).toBe('Acme Status');
    expect((await api<{ page_name: string }>('GET', '/settings')).page_name).not.toBe('Acme Status');

    await owner.getByLabel(/^Time zone/).fill('Europe/Paris');
    await owner.getByLabel(/^Brand colour/).fill('#0b5394');
    await owner.locator('fieldset', { hasText: 'Update cadence: "update due"' }).getByLabel('Critical').fill('20');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await owner.waitForURL(`${server.url}/admin/settings?saved`);
    expect(await owner.getByRole('status').textContent()).toContain('Saved');
    expect(await api('GET', '/settings')).toMatchObject({
      page_name: 'Acme Status',
      time_zone: 'Europe/Paris',
      brand_color: '#0b5394',
      cadence_critical_minutes: 20,
    });
    const home = await (await fetch(`${server.url}/`)).text();
    expect(home).toContain('Acme Status');
    const stylesheet = /<link rel="stylesheet" href="(\/site\.css\?v=[\w-]+)"/.exec(home)?.[1] ?? '';
    expect(await (await fetch(`${server.url}${stylesheet}`)).text()).toContain('--brand:#0b5394');
  });

  it('changes a password, which signs the other sessions out, and ends a session from the list', async () => {
    await api('POST', '/users', { email: 'acct@example.com', role: 'editor', password: 'account password 1' });
    const who = { email: 'acct@example.com', password: 'account password 1' };
    const here = await signIn(browser, server, who, '/admin/account');
    const there = await signIn(browser, server, who, '/admin', { userAgent: 'Other browser' });
    await here.reload();
    expect(await here.locator('tbody tr').count()).toBe(2);
    expect(await here.locator('tbody tr', { hasText: 'this browser' }).count()).toBe(1);

    await here.getByRole('button', { name: 'End session' }).click();
    await here.waitForURL(`${server.url}/admin/account?done=sessions`);
    await there.reload();
    expect(there.url()).toContain('/admin/login');

    await here.getByLabel('Current password').fill(who.password);
    await here.getByLabel(/^New password \(/).fill('a new password 2');
    await here.getByLabel('New password again').fill('another password 3');
    await here.getByRole('button', { name: 'Change password' }).click();
    expect(await here.getByRole('alert').textContent()).toContain('differ');
    await here.getByLabel('Current password').fill(who.password);
    await here.getByLabel(/^New password \(/).fill('a new password 2');
    await here.getByLabel('New password again').fill('a new password 2');
    await here.getByRole('button', { name: 'Change password' }).click();
    await here.waitForURL(`${server.url}/admin/account?done=password`);
    await signIn(browser, server, { email: who.email, password: 'a new password 2' });
  });

  it('edits a template, and the composer fills the edited words', async () => {
    const owner = await signIn(browser, server, OWNER, '/admin/templates');
    const investigating = owner.locator('details', {
      has: owner.locator('summary strong', { hasText: /^Investigating$/ }),
    });
    await investigating.locator(':scope > summary').click();
    await investigating.getByLabel('Title').fill('Trouble with {{components}}');
    await investigating.getByRole('button', { name: 'Save' }).click();
    await owner.waitForURL(/\/admin\/templates\?saved=Investigating$/);

    // A template of one's own, then gone: deleting takes a second, explicit click.
    const add = owner.locator('form', { has: owner.getByRole('button', { name: 'Add template' }) });
    await add.getByLabel('Name').fill('Scratch');
    await add.getByLabel('Title').fill('Scratch title');
    await add.getByLabel('Message (markdown)').fill('Scratch words.');
    await add.getByRole('button', { name: 'Add template' }).click();
    await owner.waitForURL(/\/admin\/templates/);
    const scratch = owner.locator('details', { has: owner.locator('summary strong', { hasText: /^Scratch$/ }) });
    await scratch.locator(':scope > summary').click();
    await scratch.locator('summary', { hasText: 'Delete…' }).click();
    await scratch.getByRole('button', { name: 'Delete the template Scratch' }).click();
    await owner.waitForURL(/\/admin\/templates/);
    expect((await api<Array<{ name: string }>>('GET', '/templates')).map((t) => t.name)).not.toContain('Scratch');
    await owner.goto(`${server.url}/admin/incidents/new`);
    expect(await owner.getByLabel('Title').inputValue()).toBe('Trouble with our services');
    await owner.getByLabel('API').selectOption('degraded_performance');
    await expect.poll(() => owner.getByLabel('Title').inputValue()).toBe('Trouble with API');
  });

  it('lists every write in the audit log, filtered by who, what and when', async () => {
    const owner = await signIn(browser, server, OWNER, '/admin/audit');
    expect(await owner.getByRole('status').textContent()).toMatch(/\d+ entries/);
    await owner.getByLabel('Action').selectOption('token.revoke');
    await owner.getByRole('button', { name: 'Filter' }).click();
    await owner.waitForURL(/action=token\.revoke/);
    expect(await owner.getByRole('status').textContent()).toBe('1 entry.');
    expect(await owner.locator('tbody').textContent()).toContain('bench@example.com');
    await owner.getByLabel('Action').selectOption('');
    await owner.getByLabel('Who').selectOption({ label: 'acct@example.com' });
    await owner.getByRole('button', { name: 'Filter' }).click();
    await owner.waitForURL(/actor=/);
    const actions = await owner.locator('tbody code').allTextContents();
    expect(actions).toEqual(['user.password']);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await owner.goto(`${server.url}/admin/audit?from=${tomorrow}`);
    expect(await owner.getByRole('status').textContent()).toBe('0 entries.');
  });

  it('has no serious or critical accessibility violation on these pages, light and dark', async () => {
    const owner = await signIn(browser, server, OWNER);
    const invitation = (await (
      await fetch(`${server.url}/api/admin/invitations`, {
        method: 'POST',
        headers: { cookie: await cookieOf(owner), origin: server.url, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'shot@example.com', role: 'viewer' }),
      })
    ).json()) as { link: string };
    mkdirSync(SHOTS, { recursive: true });
    const pages: Array<[string, string, Page]> = [];
    for (const [name, path] of [
      ['team', '/admin/team'],
      ['tokens', '/admin/tokens'],
      ['settings', '/admin/settings'],
      ['account', '/admin/account'],
      ['audit', '/admin/audit'],
      ['templates', '/admin/templates'],
      ['confirm', '/admin/confirm?next=/admin/team'],
    ] as const) {
      pages.push([`admin-${name}`, path, owner]);
    }
    const visitor = await (await browser.newContext()).newPage();
    pages.push(['invite', new URL(invitation.link).pathname + new URL(invitation.link).search, visitor]);
    for (const scheme of ['light', 'dark'] as const) {
      for (const [name, path, page] of pages) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`${server.url}${path}`);
        expect(await seriousViolations(page), `${path} (${scheme})`).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`), fullPage: true });
      }
    }
  });
});
