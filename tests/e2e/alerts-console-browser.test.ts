import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { OWNER, signIn } from '../helpers/console.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';

const SHOTS = join(import.meta.dirname, '../.tmp/screenshots');

describe('alerts in the console, in Debian Chromium: an integration, a rule, a draft approved in one click', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-alerts-ui-'));
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let receiving = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
    const api = adminApi(server, await ownerToken(server));
    await api('POST', '/components', { name: 'API' });
    browser = await launchChromium();
    page = await signIn(browser, server, OWNER, '/admin/integrations');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates an integration whose URL is shown once, and adds a rule', async () => {
    await page.getByLabel('Name', { exact: true }).first().fill('Production Alertmanager');
    await page.getByRole('button', { name: 'Create integration' }).click();
    receiving = (await page.getByLabel('Receiving URL of Production Alertmanager').inputValue()).trim();
    expect(receiving).toMatch(/\/api\/integrations\/alertmanager\/\w+\/hin_/);
    await page.getByText('Add a rule').click();
    await page.getByLabel('Matches (empty: every alert)').fill('service=api, severity=~critical|page');
    await page.getByRole('checkbox', { name: 'API' }).check();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('service=api, severity=~critical|page');
    expect(JSON.stringify(await seriousViolations(page))).toBe('[]');
    await page.screenshot({ path: join(SHOTS, 'admin-integrations.png'), fullPage: true });
  });

  it('shows an alert as "Suggested from alerts" and publishes it only when approved', async () => {
    const alert = {
      version: '4',
      groupKey: '{}:{alertname="HighErrorRate"}',
      status: 'firing',
      receiver: 'herald',
      groupLabels: { alertname: 'HighErrorRate' },
      commonLabels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical' },
      commonAnnotations: { summary: 'Error rate above 5%' },
      externalURL: 'http://alertmanager.internal',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical' },
          annotations: { summary: 'Error rate above 5%' },
          startsAt: new Date().toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prometheus.internal/graph',
          fingerprint: 'a1b2c3d4e5f60718',
        },
      ],
    };
    const sent = await fetch(receiving, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert),
    });
    expect(sent.status).toBe(202);
    await page.goto(`${server.url}/admin`);
    await expect.poll(() => page.locator('#drafts-heading').count()).toBe(1);
    expect(await page.locator('main').textContent()).toContain('HighErrorRate');
    await page.screenshot({ path: join(SHOTS, 'admin-dashboard-drafts.png'), fullPage: true });
    expect((await (await fetch(`${server.url}/api/v2/incidents.json`)).json()).incidents).toEqual([]);

    await page.getByRole('link', { name: 'Review, approve or dismiss' }).click();
    expect(JSON.stringify(await seriousViolations(page))).toBe('[]');
    await page.screenshot({ path: join(SHOTS, 'admin-drafts.png'), fullPage: true });
    await page.getByLabel('Title').fill('Elevated API errors');
    await page.getByRole('button', { name: 'Approve and publish' }).click();
    await page.waitForURL(/\/admin\/incidents\/\w+$/);
    expect(await page.locator('h1').textContent()).toContain('Elevated API errors');
    const incidents = (await (await fetch(`${server.url}/api/v2/incidents.json`)).json()) as {
      incidents: Array<{ name: string; impact: string }>;
    };
    expect(incidents.incidents).toEqual([expect.objectContaining({ name: 'Elevated API errors', impact: 'major' })]);
  });
});
