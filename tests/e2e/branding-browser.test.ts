import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { brandOnDark } from '../../src/domain/contrast.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { OWNER, signIn } from '../helpers/console.ts';
import { adminApi, ownerToken, seedAcmePage } from '../helpers/seed-server.ts';

const SHOTS = join(import.meta.dirname, '../.tmp/screenshots');
const BRAND = '#7c2d12';
const CSS = ':root { --logo-height: 40px; }\n.header-links a { font-weight: 600; }';

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

describe('an owner brands the page in the console, in Debian Chromium; readers see it in light and dark', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-branding-ui-'));
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  // Images on this server: loopback http, which the settings take and the page's policy allows ('self').
  const logo = () => `${server.url}/favicon-maintenance.svg`;
  const darkLogo = () => `${server.url}/favicon-minor.svg`;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
    await seedAcmePage(adminApi(server, await ownerToken(server)), { update: 'A bad deploy; rolling back.' });
    browser = await launchChromium();
    page = await signIn(browser, server, OWNER, '/admin/settings');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const branding = (p: Page) => p.getByRole('group', { name: /^Branding/ });
  const preview = (p: Page) => p.locator('[data-preview-part="branding"]');
  const publicHome = async () => (await fetch(`${server.url}/`)).text();

  it('previews the header and footer as the owner types, before anything is saved', async () => {
    const form = branding(page);
    await form.getByLabel('Logo URL').fill(logo());
    await form.getByLabel('Logo for dark mode').fill(darkLogo());
    await form.getByLabel('Brand colour').fill(BRAND);
    await form.getByLabel('Link 1 label').fill('Acme home');
    await form.getByLabel('Link 1 URL').fill('https://acme.example');
    await form.getByLabel('Link 2 label').fill('Docs');
    await form.getByLabel('Link 2 URL').fill('https://docs.acme.example');
    await form.getByLabel('Footer text').fill('© 2026 Acme Inc. · [Privacy](https://acme.example/privacy)');
    const light = preview(page).locator('.preview-light');
    await light.getByRole('link', { name: 'Docs' }).waitFor();
    expect(await light.locator('.footer-text').textContent()).toContain('© 2026 Acme Inc.');
    expect(await light.locator('img').getAttribute('src')).toBe(logo());
    expect(await preview(page).locator('.preview-dark img').getAttribute('src')).toBe(darkLogo());
    // The colour being chosen, from the preview's own stylesheet: the button and, in dark, the lighter links.
    await page.waitForFunction(
      (colour) =>
        getComputedStyle(document.querySelector('.preview-light .preview-button')!).backgroundColor === colour,
      rgb(BRAND),
    );
    expect(
      await preview(page)
        .locator('.preview-dark .header-links a')
        .first()
        .evaluate((el) => getComputedStyle(el).color),
    ).toBe(rgb(brandOnDark(BRAND)));
    expect(await publicHome()).not.toContain('Acme home');
    expect(JSON.stringify(await seriousViolations(page))).toBe('[]');
    await page.screenshot({ path: join(SHOTS, 'branding-console-preview.png'), fullPage: true });
    await branding(page).screenshot({ path: join(SHOTS, 'branding-console-fieldset.png') });
  });

  it('refuses CSS that imports another stylesheet in words, keeps what was typed, and saves nothing', async () => {
    await branding(page).getByLabel('Custom CSS').fill(`@import url(https://fonts.example/x.css);\n${CSS}`);
    await page.getByRole('button', { name: 'Save settings' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Nothing was saved\. Custom CSS must not use @import/);
    expect(await branding(page).getByLabel('Link 1 label').inputValue()).toBe('Acme home');
    expect(await branding(page).getByLabel('Custom CSS').inputValue()).toContain('@import');
    expect(await publicHome()).not.toContain('Acme home');
  });

  it('saves the branding once the CSS is fixed', async () => {
    await branding(page).getByLabel('Custom CSS').fill(CSS);
    await branding(page).getByLabel('About this page').fill('Acme Cloud runs in **three regions**.');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL(/saved/);
    expect(await page.getByRole('status').textContent()).toContain('Saved');
    expect(await branding(page).getByLabel('Link 2 URL').inputValue()).toBe('https://docs.acme.example');
    expect(await publicHome()).toContain('Acme home');
  });

  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390]) {
      it(`shows the branded page in ${scheme} at ${width} px, with no serious accessibility violation`, async () => {
        const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
        const reader = await context.newPage();
        await reader.goto(`${server.url}/`);
        await reader.waitForLoadState('networkidle');
        const header = reader.locator('header.site-header');
        expect(await header.getByRole('link', { name: 'Acme home' }).isVisible()).toBe(true);
        expect(await header.getByRole('link', { name: 'Docs' }).getAttribute('href')).toBe('https://docs.acme.example');
        // The <picture> picks the logo of the reader's scheme; custom.css makes it 40 px high.
        const img = header.locator('.site-logo img');
        await reader.waitForFunction(() => (document.querySelector('.site-logo img') as HTMLImageElement).complete);
        expect(await img.evaluate((el: HTMLImageElement) => el.currentSrc)).toBe(
          scheme === 'dark' ? darkLogo() : logo(),
        );
        expect(await img.evaluate((el) => el.getBoundingClientRect().height)).toBe(40);
        expect(
          await header
            .locator('.header-links a')
            .first()
            .evaluate((el) => [getComputedStyle(el).fontWeight, getComputedStyle(el).color]),
        ).toEqual(['600', scheme === 'dark' ? rgb(brandOnDark(BRAND)) : rgb(BRAND)]);
        expect(await header.evaluate((el) => getComputedStyle(el).borderBottomColor)).toBe(rgb(BRAND));
        expect(await reader.locator('.footer-text').textContent()).toContain('© 2026 Acme Inc.');
        expect(await reader.locator('section.about').textContent()).toContain('three regions');
        // Nothing sticks out sideways on a phone.
        expect(await reader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        expect(JSON.stringify(await seriousViolations(reader))).toBe('[]');
        await reader.screenshot({
          path: join(SHOTS, `branding-public-${scheme}-${width}.png`),
          fullPage: width < 1000,
        });
        await context.close();
      });
    }
  }

  it('previews without JavaScript through the Preview button, and still saves nothing', async () => {
    const plain = await signIn(browser, server, OWNER, '/admin/settings', { javaScriptEnabled: false });
    await branding(plain).getByLabel('Link 3 label').fill('Careers');
    await branding(plain).getByLabel('Link 3 URL').fill('http://careers.acme.example');
    await branding(plain).getByLabel('Favicon URL').fill('http://cdn.acme.example/icon.png');
    await plain.getByRole('button', { name: 'Preview branding' }).click();
    await plain.waitForLoadState('load');
    expect(await preview(plain).locator('.preview-light').getByRole('link', { name: 'Careers' }).count()).toBe(1);
    // A refused value is named in the preview, not shown.
    expect(await preview(plain).textContent()).toMatch(/Not shown: Favicon must be an https:\/\/ address/);
    expect(await branding(plain).getByLabel('Link 3 label').inputValue()).toBe('Careers');
    expect(await publicHome()).not.toContain('Careers');
    await plain.screenshot({ path: join(SHOTS, 'branding-console-no-js.png'), fullPage: true });
    await preview(plain).screenshot({ path: join(SHOTS, 'branding-console-no-js-preview.png') });
    await plain.context().close();
  });
});
