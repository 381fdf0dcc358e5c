import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { OWNER, signIn } from '../helpers/console.ts';
import { parseCsv } from '../helpers/csv.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';

const SHOTS = join(import.meta.dirname, '../.tmp/screenshots');

/** YYYY-MM-DD `days` from today (UTC, the page's default zone). */
const dayFrom = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('the post-incident review in the console, in Debian Chromium, with and without JavaScript', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-reviews-ui-'));
  let server: ServerProcess;
  let browser: Browser;
  let api: ReturnType<typeof adminApi>;
  // axe runs as a script in the page, which a context without JavaScript refuses: each page the
  // test reaches is checked again here, in a context with JavaScript signed in as the same owner.
  let checker: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
    api = adminApi(server, await ownerToken(server));
    browser = await launchChromium();
    checker = await signIn(browser, server, OWNER, '/admin/reviews');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';
  const violationsAt = async (page: Page) => {
    await checker.goto(page.url());
    return seriousViolations(checker);
  };

  for (const javaScriptEnabled of [true, false]) {
    const how = javaScriptEnabled ? 'js' : 'nojs';
    it(
      `plans the review, tracks an action item to done and exports it (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`,
      { timeout: 120_000 },
      async () => {
        const name = `Expired certificate (${how})`;
        const incident = await api<{ id: string; code: string }>('POST', '/incidents', {
          name,
          body: 'Checkout fails.',
          notify: false,
        });
        await api('POST', `/incidents/${incident.id}/resolve`, { notify: false });
        const page = await signIn(browser, server, OWNER, `/admin/incidents/${incident.id}`, {
          javaScriptEnabled,
          acceptDownloads: true,
        });

        // The review date: overdue in one run, ahead in the other.
        const due = javaScriptEnabled ? dayFrom(-3) : dayFrom(30);
        await page.getByLabel('Review on').fill(due);
        await page.getByRole('button', { name: 'Save review date' }).click();
        await page.waitForURL(`${server.url}/admin/incidents/${incident.id}#review`);
        expect(await page.getByLabel('Review on').inputValue()).toBe(due);
        expect(await mainText(page)).toContain(javaScriptEnabled ? 'The review is overdue' : 'The review is due');

        // The editor says which sections stay private; the preview shows only the public part.
        const secret = `SECRET-${how}`;
        await page
          .getByLabel('Postmortem (markdown)')
          .fill(`## Summary\nA certificate expired.\n\n## Timeline (internal)\n${secret}\n`);
        if (!javaScriptEnabled) await page.getByRole('button', { name: 'Preview', exact: true }).last().click();
        const preview = page.locator('[data-preview-part="postmortem"]');
        await expect.poll(() => preview.textContent()).toContain('A certificate expired.');
        expect(await preview.textContent()).not.toContain(secret);
        await expect
          .poll(() => page.locator('#postmortem-private').textContent())
          .toContain('Kept off the public page: Timeline (internal).');

        // On the reviews list (in the console's menu), with a link back to the incident.
        await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Reviews' }).click();
        await page.waitForURL(`${server.url}/admin/reviews`);
        const reviewRow = page.getByRole('row', { name: new RegExp(name.replace(/[()]/g, '\\$&')) }).first();
        expect(await reviewRow.textContent()).toContain(
          new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(
            new Date(`${due}T00:00:00Z`),
          ),
        );
        expect((await reviewRow.textContent())?.includes('Overdue')).toBe(javaScriptEnabled);
        expect(await violationsAt(page)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `admin-reviews-${how}.png`), fullPage: true });
        await reviewRow.getByRole('link', { name }).click();
        await page.waitForURL(`${server.url}/admin/incidents/${incident.id}#review`);

        // An action item owned by a team outside Herald, due in a week, moved open → in progress → done.
        const action = `=HYPERLINK("x") renew certificates, 30 days ahead (${how})`;
        await page.getByLabel('New action item').fill(action);
        await page.getByRole('combobox', { name: /^Owner/ }).selectOption({ label: 'Someone else (type below)' });
        await page.getByLabel('Or another owner').fill('Platform team');
        await page.getByLabel('Due').fill(dayFrom(7));
        await page.getByLabel('Priority').selectOption('high');
        await page.getByRole('button', { name: 'Add action item' }).click();
        await page.waitForURL(`${server.url}/admin/incidents/${incident.id}#action-items`);
        const itemRow = page.locator('#action-items tbody tr', { hasText: action });
        expect(await itemRow.textContent()).toMatch(/Platform team.*High.*Open/s);
        await itemRow.getByRole('button', { name: new RegExp(`^Start\\s?: `) }).click();
        await page.waitForURL(/#action-item-\w+$/);
        expect(await itemRow.textContent()).toContain('In progress');
        expect(await violationsAt(page)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `admin-incident-review-${how}.png`), fullPage: true });
        await itemRow.getByRole('button', { name: new RegExp(`^Mark done\\s?: `) }).click();
        await page.waitForURL(/#action-item-\w+$/);
        expect(await itemRow.textContent()).toContain('Done');
        await expect.poll(() => itemRow.getByRole('button', { name: new RegExp(`^Reopen\\s?: `) }).count()).toBe(1);

        // The list across incidents, filtered to done, and its CSV.
        await page.goto(`${server.url}/admin/reviews`);
        await page.getByLabel('State').selectOption('done');
        await page.getByRole('button', { name: 'Filter' }).click();
        await page.waitForURL(`${server.url}/admin/reviews?state=done`);
        expect(await page.locator('#items-heading ~ div tbody').textContent()).toContain(action);
        expect(await violationsAt(page)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `admin-reviews-done-${how}.png`), fullPage: true });
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'Download CSV' }).click(),
        ]);
        expect(download.suggestedFilename()).toBe('action-items.csv');
        const rows = parseCsv(readFileSync((await download.path()) ?? '', 'utf8'));
        expect(rows[0]?.slice(0, 4)).toEqual(['id', 'incident_code', 'incident', 'description']);
        expect(rows.slice(1).every((r) => r[6] === 'done')).toBe(true);
        const mine = rows.find((r) => r[1] === incident.code);
        expect(mine?.slice(2, 9)).toEqual([name, `'${action}`, 'Platform team', 'high', 'done', dayFrom(7), 'no']);
        expect(mine?.[10]).toMatch(/^\d{4}-\d\d-\d\dT/);
        await page.context().close();
      },
    );
  }

  it('shows both reviews on the list, the overdue one first', async () => {
    const page = await signIn(browser, server, OWNER, '/admin/reviews');
    const names = await page.locator('#due-heading ~ div tbody tr td:first-child').allTextContents();
    expect(names.map((n) => n.trim())).toEqual(['Expired certificate (js)', 'Expired certificate (nojs)']);
    await page.context().close();
  });
});
