import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { receiverEnv, startChannelReceiver } from '../helpers/channel-receiver.ts';
import { adminApi, ownerToken, seedAcmePage } from '../helpers/seed-server.ts';
import { OWNER, signIn } from '../helpers/console.ts';

const SHOTS = join(import.meta.dirname, '../.tmp/screenshots');

describe('following one incident from its page, in Debian Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-follow-'));
  let server: ServerProcess;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startChannelReceiver>>;
  let api: ReturnType<typeof adminApi>;
  let incident: { id: string; code: string };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    receiver = await startChannelReceiver();
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), ...receiverEnv(dir) });
    api = adminApi(server, await ownerToken(server));
    ({ incident } = await seedAcmePage(api, { update: 'A bad deploy; rolling back.' }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('subscribes a webhook to the incident from its page, hears its end, and the subscription ends with it', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/incidents/${incident.code}`);
    await page.getByRole('link', { name: 'Get updates on this incident' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('Get updates on');
    await page.getByRole('link', { name: 'Webhook' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Webhook URL').fill(receiver.url('/follow'));
    await page.screenshot({ path: join(SHOTS, 'subscribe-incident-webhook.png'), fullPage: true });
    await page.getByRole('button', { name: 'Subscribe' }).click();
    const secret = (await page.locator('code.secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_/);
    const manage = (await page.getByRole('link', { name: /\/subscriptions\// }).getAttribute('href')) ?? '';
    await page.screenshot({ path: join(SHOTS, 'subscribe-incident-webhook-done.png'), fullPage: true });

    await page.goto(manage);
    await expect.poll(() => page.locator('main').textContent()).toContain('You follow one incident');

    await api('POST', `/incidents/${incident.id}/updates`, {
      status: 'resolved',
      body: 'Rolled back; all is well.',
      notify: true,
    });
    const webhook = new Webhook(secret);
    await expect
      .poll(
        () =>
          receiver.received
            .filter((r) => r.path === '/follow')
            .map((r) => {
              webhook.verify(r.body, {
                'webhook-id': String(r.headers['webhook-id']),
                'webhook-timestamp': String(r.headers['webhook-timestamp']),
                'webhook-signature': String(r.headers['webhook-signature']),
              });
              return (JSON.parse(r.body) as { type: string }).type;
            }),
        { timeout: 15_000 },
      )
      .toContain('incident.resolved');

    await page.reload();
    await expect.poll(() => page.locator('main').textContent()).toContain('ended with it');
    await page.screenshot({ path: join(SHOTS, 'subscription-ended.png'), fullPage: true });
    // Once it is over there is nothing left to follow (asked of the server: the browser may keep
    // its copy for the page's max-age).
    const html = await (await fetch(`${server.url}/incidents/${incident.code}`)).text();
    expect(html).toContain('Resolved');
    expect(html).not.toContain('Get updates on this incident');
    await context.close();
  });

  it('shows the lead the subscribers of every channel in the console, with a test and a switch', async () => {
    const page = await signIn(browser, server, OWNER, '/admin/subscribers');
    expect(await page.locator('main').textContent()).toContain('1 webhook,');
    const row = page.locator('tbody tr', { hasText: '/follow' });
    expect(await row.textContent()).toMatch(/Webhook.*localhost:\d+\/follow.*one incident.*Ended with its incident/);
    const before = receiver.received.length;
    await row.getByRole('button', { name: 'Send test' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/got through/);
    expect(receiver.received.length).toBe(before + 1);
    await page.locator('tbody tr', { hasText: '/follow' }).getByRole('button', { name: 'Disable' }).click();
    await expect
      .poll(() => page.locator('tbody tr', { hasText: '/follow' }).textContent())
      .toMatch(/Disabled: stopped by the page’s team/);
    await page.screenshot({ path: join(SHOTS, 'admin-subscribers-listed.png'), fullPage: true });
    expect(JSON.stringify(await seriousViolations(page))).toBe('[]');
    await page.context().close();
  });
});
