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
const WIDTHS = [1280, 390] as const;
const SCHEMES = ['light', 'dark'] as const;

describe('the public pages in English, Japanese and Arabic, in Debian Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-languages-browser-'));
  let server: ServerProcess;
  let browser: Browser;
  let code = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
    const api = adminApi(server, await ownerToken(server));
    const { incident } = await seedAcmePage(api, {
      settings: { time_zone: 'Asia/Tokyo' },
      update: 'A bad deploy; rolling back.',
    });
    code = incident.code;
    const start = new Date(Date.now() + 2 * 86_400_000);
    await api('POST', '/maintenance', {
      name: 'Database upgrade',
      body: 'Read-only for a few minutes.',
      components: [],
      scheduled_for: start.toISOString(),
      scheduled_until: new Date(start.getTime() + 5_400_000).toISOString(),
      notify: false,
    });
    await api('PATCH', '/settings', { languages: ['en', 'de', 'fr', 'es', 'pt-BR', 'ja', 'ar'] });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const pages = () => [
    ['home', '/'],
    ['incident', `/incidents/${code}`],
    ['history', '/history'],
    ['subscribe', '/subscribe'],
    ['not-found', '/no-such-page'],
  ];

  for (const prefix of ['', '/ja', '/ar'] as const) {
    const name = prefix.slice(1) || 'en';
    for (const scheme of SCHEMES) {
      it(`has no serious or critical WCAG 2.2 AA violation in ${name}, ${scheme}, at ${WIDTHS.join(' and ')} px`, async () => {
        for (const width of WIDTHS) {
          const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
          const page = await context.newPage();
          for (const [label, path] of pages()) {
            await page.goto(`${server.url}${prefix}${path}`);
            expect(await seriousViolations(page), `${prefix}${path} (${scheme}, ${width} px)`).toEqual([]);
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
            );
            expect(overflow, `${prefix}${path} overflows at ${width} px`).toBe(false);
            if (name !== 'en')
              await page.screenshot({
                path: join(SHOTS, `languages-${name}-${label}-${scheme}-${width}.png`),
                fullPage: true,
              });
          }
          await context.close();
        }
      });
    }
  }

  it('mirrors the Arabic page: the start is on the right, the uptime bar runs from the right, chevrons point onward', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/ar/`);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).direction)).toBe('rtl');
    // The impact stripe of an incident is on its start side: the right.
    const stripe = await page
      .locator('article.incident')
      .first()
      .evaluate((el) => [getComputedStyle(el).borderRightWidth, getComputedStyle(el).borderLeftWidth]);
    expect(stripe).toEqual(['6px', '1px']);
    // Oldest day first, from the right; today at the left end.
    const [oldest, today] = await page
      .locator('.bar')
      .first()
      .evaluate((bar) => {
        const cells = [...bar.querySelectorAll('li')];
        return [cells[0], cells.at(-1)].map((c) => c?.getBoundingClientRect().left ?? 0);
      });
    expect(oldest).toBeGreaterThan(today ?? 0);
    // The page name in the header is at the right, the language links at the left.
    const name = await page.locator('.site-name').boundingBox();
    expect((name?.x ?? 0) + (name?.width ?? 0)).toBeGreaterThan(1000);
    // A time keeps its digits in order inside Arabic text.
    expect(await page.locator('.banner time').textContent()).toMatch(/\d{1,2} \S+ \d{4}، \d\d:\d\d/);

    await page.goto(`${server.url}/ar/incidents/${code}`);
    // "Acme Cloud › عطل": the chevron points from the page to the incident, leftwards in Arabic.
    const [nameRight, chevronLeft] = await page.evaluate(() => {
      const crumbs = document.querySelector('.crumbs');
      const link = crumbs?.querySelector('a')?.getBoundingClientRect();
      const chevron = crumbs?.querySelector('span')?.getBoundingClientRect();
      return [link?.left ?? 0, chevron?.right ?? 0];
    });
    expect(chevronLeft).toBeLessThanOrEqual(nameRight);
    await context.close();
  });

  it('switches language with plain links and keeps the reader on the same page', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/incidents/${code}`);
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: '日本語' }).click();
    expect(new URL(page.url()).pathname).toBe(`/ja/incidents/${code}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await page.getByRole('navigation', { name: '言語' }).getByRole('link', { name: 'العربية' }).click();
    expect(new URL(page.url()).pathname).toBe(`/ar/incidents/${code}`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.getByRole('link', { name: 'سجل الأعطال' }).first().click();
    expect(new URL(page.url()).pathname).toBe('/ar/history');
    await context.close();
  });
});
