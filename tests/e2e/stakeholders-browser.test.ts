import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { receiverEnv, startChannelReceiver } from '../helpers/channel-receiver.ts';
import { OWNER, signIn } from '../helpers/console.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';

const SHOTS = join(import.meta.dirname, '../.tmp/screenshots');

describe('stakeholders in the console, in Debian Chromium: added with and without JavaScript, told about a P1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-stakeholders-ui-'));
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let plain: Page;
  let sink: SmtpSink;
  let slack: Awaited<ReturnType<typeof startChannelReceiver>>;
  let api: ReturnType<typeof adminApi>;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sink = await startSmtpSink();
    slack = await startChannelReceiver();
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), SMTP_URL: sink.url, ...receiverEnv(dir) });
    api = adminApi(server, await ownerToken(server));
    browser = await launchChromium();
    page = await signIn(browser, server, OWNER, '/admin/stakeholders');
    plain = await signIn(browser, server, OWNER, '/admin/stakeholders', { javaScriptEnabled: false });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    await Promise.all([sink?.close(), slack?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const addForm = (p: Page) => p.locator('section[aria-labelledby="new-heading"]');
  const row = (p: Page, name: string) => p.getByRole('form', { name: `Stakeholder ${name}` });

  it('adds a stakeholder with JavaScript: P1 and P2 checked by default, P2 unchecked for the CTO', async () => {
    const form = addForm(page);
    expect(await form.getByRole('checkbox', { name: /P1 · Critical/ }).isChecked()).toBe(true);
    expect(await form.getByRole('checkbox', { name: /P2 · High/ }).isChecked()).toBe(true);
    expect(await form.getByRole('checkbox', { name: /P3 · Medium/ }).isChecked()).toBe(false);
    await form.getByLabel('Name', { exact: true }).fill('CTO');
    await form.getByLabel('Email address, or the channel').fill('cto@acme.test');
    await form.getByRole('checkbox', { name: /P2 · High/ }).uncheck();
    await form.getByRole('button', { name: 'Add stakeholder' }).click();
    await page.waitForURL(/done=added/);
    expect(await page.getByRole('status').textContent()).toContain('Stakeholder added');
    const cto = row(page, 'CTO');
    expect(await cto.getByRole('checkbox', { name: /P1 · Critical/ }).isChecked()).toBe(true);
    expect(await cto.getByRole('checkbox', { name: /P2 · High/ }).isChecked()).toBe(false);
    expect(JSON.stringify(await seriousViolations(page))).toBe('[]');
    await page.screenshot({ path: join(SHOTS, 'admin-stakeholders.png'), fullPage: true });
  });

  it('adds a Slack channel without JavaScript, and keeps what was typed when it is refused', async () => {
    const form = addForm(plain);
    await form.getByLabel('Name', { exact: true }).fill('#incidents');
    await form.getByRole('combobox', { name: /^Channel/ }).selectOption('slack');
    await form.getByLabel('Email address, or the channel').fill('https://10.1.2.3/services/T0/B0/x');
    await form.getByRole('button', { name: 'Add stakeholder' }).click();
    expect(await plain.getByRole('alert').textContent()).toMatch(/cannot be used: .*public address/);
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('#incidents');
    await form.getByLabel('Email address, or the channel').fill(slack.url('/slack'));
    await form.getByRole('button', { name: 'Add stakeholder' }).click();
    await plain.waitForURL(/done=added/);
    expect(await row(plain, '#incidents').getByLabel('Slack incoming-webhook URL').inputValue()).toBe(
      slack.url('/slack'),
    );
    await plain.screenshot({ path: join(SHOTS, 'admin-stakeholders-no-js.png'), fullPage: true });
  });

  it('sends a test, and changes which severities a stakeholder hears about', async () => {
    await page.goto(`${server.url}/admin/stakeholders`);
    await row(page, '#incidents').getByRole('button', { name: 'Send test' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Test message sent to #incidents');
    expect(slack.received.at(-1)?.body).toContain('Test message');

    await row(page, 'CTO')
      .getByRole('checkbox', { name: /P2 · High/ })
      .check();
    await row(page, 'CTO').getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/done=saved/);
    expect(
      await row(page, 'CTO')
        .getByRole('checkbox', { name: /P2 · High/ })
        .isChecked(),
    ).toBe(true);
    // On a phone each stakeholder's fields stack, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'admin-stakeholders-rows-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  it('shows on the incident page who was told about a P1, and when the next internal update is due', async () => {
    const incident = await api<{ id: string }>('POST', '/incidents', {
      name: 'Checkout down',
      impact: 'critical',
      body: 'Payments fail for **every** customer.',
      notify: false,
    });
    await expect.poll(() => sink.to('cto@acme.test').length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => slack.received.filter((r) => r.body.includes('Checkout down')).length).toBe(1);
    await page.goto(`${server.url}/admin/incidents/${incident.id}`);
    const log = page.locator('section[aria-labelledby="stakeholder-log-heading"]');
    await expect.poll(async () => (await log.getByRole('row').allTextContents()).join('\n')).toMatch(/CTO[\s\S]*Sent/);
    const text = await log.textContent();
    expect(text).toContain('[P1 · Critical] Incident opened: Checkout down');
    expect(text).toContain('#incidents');
    expect(text).toMatch(/next internal update is due by/);
    expect(JSON.stringify(await seriousViolations(page))).toBe('[]');
    await log.screenshot({ path: join(SHOTS, 'admin-incident-stakeholder-log.png') });
  });

  it('sets the internal cadence in the settings: 15 minutes at P1, hourly at P3', async () => {
    await page.goto(`${server.url}/admin/settings`);
    const internal = page.locator('fieldset', { hasText: 'Internal update cadence' });
    await internal.getByLabel('Critical').fill('15');
    await internal.getByLabel('Minor').fill('60');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL(/saved/);
    await page.goto(`${server.url}/admin/stakeholders`);
    expect(await page.locator('main').textContent()).toContain(
      'Internal updates are due P1 · Critical every 15 min, P2 · High every 30 min, P3 · Medium every 1 h.',
    );
  });

  it('removes a stakeholder after a second click', async () => {
    await page.goto(`${server.url}/admin/stakeholders`);
    await row(page, '#incidents').getByText('Remove…').click();
    await row(page, '#incidents').getByRole('button', { name: 'Remove stakeholder' }).click();
    await page.waitForURL(/done=removed/);
    expect(await page.getByRole('form', { name: 'Stakeholder #incidents' }).count()).toBe(0);
  });
});
