import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { adminApi, ownerToken, seedAcmePage } from '../helpers/seed-server.ts';

const SHOTS = join(import.meta.dirname, '../.tmp/screenshots');

describe('public pages in Debian Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-pages-'));
  let server: ServerProcess;
  let browser: Browser;
  let code = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
    const api = adminApi(server, await ownerToken(server));
    const { incident } = await seedAcmePage(api, {
      settings: { time_zone: 'Europe/Paris' },
      update: 'A bad deploy; rolling back.',
    });
    code = incident.code;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no serious or critical WCAG 2.2 AA violation on any public page (${scheme})`, async () => {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      for (const [name, path] of [
        ['home', '/'],
        ['incident', `/incidents/${code}`],
        ['history', '/history'],
        ['subscribe', '/subscribe'],
        ['not-found', '/nope'],
      ] as const) {
        await page.goto(`${server.url}${path}`);
        expect(await seriousViolations(page), `${path} (${scheme})`).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`), fullPage: true });
      }
      await context.close();
    });
  }

  it('shows a day of the uptime bar in words on keyboard focus, and nothing overflows at 320 px', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    const cell = page.locator('.bar li:visible').last();
    await cell.focus();
    const tip = await cell.evaluate((el) => getComputedStyle(el, '::after').content);
    expect(tip).toMatch(/: (100|\d+\.\d\d)% uptime/);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
    );
    expect(overflow).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'home-320.png'), fullPage: true });
    await context.close();
  });
});
