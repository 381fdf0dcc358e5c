import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { launchChromium } from '../helpers/browser.ts';

describe('push in Debian Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-push-browser-'));
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('offers the button, registers the service worker and subscribes with our VAPID key', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin: server.url });
    const page = await context.newPage();
    // Chromium would hand the subscription to its vendor's push service, which this machine
    // cannot reach; the call and the key it carries are what this test is about.
    await page.addInitScript(() => {
      const original = PushManager.prototype.subscribe;
      PushManager.prototype.subscribe = function (options?: PushSubscriptionOptionsInit) {
        const key = options?.applicationServerKey;
        const bytes =
          key instanceof ArrayBuffer ? new Uint8Array(key) : key instanceof Uint8Array ? key : new Uint8Array();
        Reflect.set(
          window,
          '__subscribeKey',
          btoa(String.fromCharCode(...bytes))
            .replace(/\+/g, '-')
            .replace(/\//g, '_')
            .replace(/=+$/, ''),
        );
        Reflect.set(window, '__userVisibleOnly', options?.userVisibleOnly);
        return original.call(this, options);
      };
    });
    await page.goto(`${server.url}/subscribe`);
    const button = page.getByRole('button', { name: 'Notify me in this browser' });
    await button.waitFor({ state: 'visible' });
    await button.click();
    await page.waitForFunction(() => Reflect.get(window, '__subscribeKey'));
    const { publicKey } = (await (await fetch(`${server.url}/api/public/push/key`)).json()) as { publicKey: string };
    expect(await page.evaluate(() => Reflect.get(window, '__subscribeKey'))).toBe(publicKey);
    expect(await page.evaluate(() => Reflect.get(window, '__userVisibleOnly'))).toBe(true);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${server.url}/`);
    await context.close();
  });

  it('turns a delivered push message into a notification with the title and link', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['notifications'], { origin: server.url });
    const page = await context.newPage();
    await page.goto(`${server.url}/subscribe`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.register('/sw.js');
      await navigator.serviceWorker.ready;
    });
    const cdp = await context.newCDPSession(page);
    const registration = new Promise<string>((resolve) => {
      cdp.on(
        'ServiceWorker.workerRegistrationUpdated',
        (event: { registrations: Array<{ registrationId: string; scopeURL: string }> }) => {
          const found = event.registrations.find((r) => r.scopeURL.startsWith(server.url));
          if (found) resolve(found.registrationId);
        },
      );
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registration;
    const message = {
      title: 'Acme: API outage',
      body: 'Investigating — We are on it.',
      url: `${server.url}/incidents/abcd2345#update-x`,
      tag: 'incident-abc',
      icon: '/favicon.svg',
      timestamp: Date.now(),
    };
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: `${server.url}/`,
      registrationId,
      data: JSON.stringify(message),
    });
    const notifications = () =>
      page.evaluate(async () => {
        const list = await (await navigator.serviceWorker.ready).getNotifications();
        return list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: (n.data as { url: string }).url }));
      });
    let shown = await notifications();
    for (let i = 0; i < 50 && shown.length === 0; i++) {
      await page.waitForTimeout(100);
      shown = await notifications();
    }
    expect(shown).toEqual([{ title: message.title, body: message.body, tag: message.tag, url: message.url }]);
    await context.close();
  });
});
