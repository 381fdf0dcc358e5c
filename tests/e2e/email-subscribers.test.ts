import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { OWNER, signIn } from '../helpers/console.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';

const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('subscribing by email on the real server, as a customer does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-mail-e2e-'));
  let smtp: SmtpSink;
  let server: ServerProcess;
  let api: ReturnType<typeof adminApi>;
  let componentId = '';

  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), SMTP_URL: smtp.url });
    api = adminApi(server, await ownerToken(server));
    componentId = (await api<{ id: string }>('POST', '/components', { name: 'API' })).id;
  });
  afterAll(async () => {
    await server?.kill();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const form = (
    path: string,
    fields: Record<string, string | string[]>,
    headers: Record<string, string> = { origin: server.url },
  ) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
    return fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  };

  it('subscribes from the form, confirms with a button, receives an update, and leaves with one click', async () => {
    const home = await (await fetch(`${server.url}/`)).text();
    expect(home).toContain('action="/subscribe"');

    const answer = await form('/subscribe', { email: 'carol@example.com', scope: 'some', component: componentId });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('a confirmation mail is on its way');
    await until(() => smtp.to('carol@example.com').length === 1, 'the confirmation mail');
    const confirmUrl =
      /(http:\/\/\S+\/subscriptions\/confirm\/[\w-]+)/.exec(smtp.to('carol@example.com')[0]?.parsed.text ?? '')?.[1] ??
      '';

    const page = await fetch(confirmUrl);
    expect(await page.text()).toContain('Confirm my subscription');
    const confirmed = await (await fetch(confirmUrl, { method: 'POST' })).text();
    expect(confirmed).toContain('You are subscribed');

    await api('POST', '/incidents', {
      name: 'API down',
      body: 'Investigating.',
      components: { [componentId]: 'major_outage' },
      notify: true,
    });
    await until(() => smtp.to('carol@example.com').length === 2, 'the incident mail');
    const mail = smtp.to('carol@example.com')[1];
    expect(mail?.parsed.subject).toBe('[Herald Status] API down: Investigating');
    const unsubscribe = /^List-Unsubscribe: <([^>]+)>/m.exec((mail?.raw ?? '').replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? '';
    expect(unsubscribe).toMatch(/\/unsubscribe$/);

    // A mail provider's RFC 8058 one-click: a bare POST from its own servers, no Origin, no cookie.
    const oneClick = await fetch(unsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);

    await api('POST', '/incidents', {
      name: 'API slow',
      body: 'Again.',
      components: { [componentId]: 'degraded_performance' },
      notify: true,
    });
    const counts = await api<{ email_confirmed: number }>('GET', '/subscribers/counts');
    expect(counts.email_confirmed).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.to('carol@example.com')).toHaveLength(2);
  });

  it('lets a subscriber change components from the manage link, and refuses forged links', async () => {
    await form('/subscribe', { email: 'dave@example.com', scope: 'all' });
    await until(() => smtp.to('dave@example.com').length === 1, 'the confirmation mail');
    const confirmUrl =
      /(http:\/\/\S+\/subscriptions\/confirm\/[\w-]+)/.exec(smtp.to('dave@example.com')[0]?.parsed.text ?? '')?.[1] ??
      '';
    const confirmed = await (await fetch(confirmUrl, { method: 'POST' })).text();
    const manage = /href="(\/subscriptions\/[\w.-]+)"/.exec(confirmed)?.[1] ?? '';
    expect(manage).not.toBe('');
    const saved = await form(manage, { action: 'save', scope: 'some', component: componentId });
    expect(await saved.text()).toContain('Saved.');
    const forged = manage.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(`${server.url}${forged}`)).status).toBe(404);
    const crossSite = await form(manage, { action: 'unsubscribe' }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(422);
    expect((await fetch(`${server.url}${manage}`)).status).toBe(200);

    // The same page's own button in a real browser: its post must pass the same-site check.
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(`${server.url}${manage}`);
      await page.getByRole('button', { name: 'Unsubscribe from all updates' }).click();
      await page.waitForLoadState();
      expect(await page.locator('main').textContent()).toMatch(/unsubscribed/i);
    } finally {
      await browser.close();
    }
    expect((await api<{ email_confirmed: number }>('GET', '/subscribers/counts')).email_confirmed).toBe(0);
  });

  it('tells the lead in the console who did not get an update, and why', async () => {
    await api('POST', '/subscribers/import', { csv: 'email,components\ngone@example.com,all\nfine@example.com,all' });
    smtp.setPolicy((address) => (address === 'gone@example.com' ? 550 : 'accept'));
    try {
      const incident = await api<{ id: string }>('POST', '/incidents', {
        name: 'Login errors',
        body: 'Investigating.',
        components: { [componentId]: 'partial_outage' },
        notify: true,
      });
      const figures = () => api<Array<{ sent: number; failed: number }>>('GET', `/incidents/${incident.id}/deliveries`);
      await until(
        async () => (await figures()).some((f) => f.failed === 1 && f.sent === 1),
        'one mail sent and one refused',
      );
      const browser = await launchChromium();
      try {
        const page = await signIn(browser, server, OWNER, `/admin/incidents/${incident.id}`);
        expect(await page.getByText(/notified: 1 sent, 0 pending, 1 failed/).count()).toBe(1);
        await page.getByText('Who did not get it (1)').click();
        const rows = page.locator('.failed-deliveries tbody tr');
        expect(await rows.count()).toBe(1);
        expect(await rows.first().textContent()).toMatch(/^gone@example\.com1.*(550|No such user)/);
        expect(await seriousViolations(page)).toEqual([]);
      } finally {
        await browser.close();
      }
    } finally {
      smtp.setPolicy(() => 'accept');
    }
  });

  it('shows a readable error for a bad address in the form', async () => {
    const res = await form('/subscribe', { email: 'not an address', scope: 'all' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Enter a valid email address');
  });
});
