import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { cookieOf, OWNER, postForm, signIn } from '../helpers/console.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';

const SHOTS = join(import.meta.dirname, '../.tmp/screenshots');
const EDITOR = { email: 'editor@example.com', password: 'editor password 12' };

const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

type IncidentJson = {
  id: string;
  code: string;
  impact: string;
  name: string;
  status: string;
  review_due_on: string | null;
  incident_updates: Array<{ body: string; author: string }>;
};

describe("the communications lead's workflow in Debian Chromium, with and without script", () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-comms-'));
  let smtp: SmtpSink;
  let server: ServerProcess;
  let api: ReturnType<typeof adminApi>;
  let browser: Browser;
  let apiId = '';

  /** Everything public that could carry an incident's words. */
  const publicText = async (code: string) =>
    (
      await Promise.all(
        [
          '/',
          `/incidents/${code}`,
          '/history',
          '/feed.atom',
          '/feed.rss',
          '/api/v2/summary.json',
          '/api/v2/incidents.json',
          '/api/v2/incidents/unresolved.json',
          '/widget',
        ].map(async (path) => (await fetch(`${server.url}${path}`)).text()),
      )
    ).join('\n');

  const openCritical = (name: string) =>
    api<IncidentJson>('POST', '/incidents', {
      name,
      body: 'We are investigating.',
      components: { [apiId]: 'major_outage' },
      impact: 'critical',
      notify: true,
    });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    smtp = await startSmtpSink();
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), SMTP_URL: smtp.url });
    api = adminApi(server, await ownerToken(server));
    apiId = (await api<{ id: string }>('POST', '/components', { name: 'API' })).id;
    await api('POST', '/components', { name: 'Website' });
    await api('POST', '/users', { ...EDITOR, name: 'Edna Editor', role: 'editor' });
    await api('POST', '/subscribers/import', { csv: 'email\ncarol@example.com\n' });
    await api('POST', '/stakeholders', {
      name: 'CTO',
      channel: 'email',
      target: 'cto@example.com',
      impacts: ['critical', 'major'],
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fills the template in again when components are chosen after it, live with script and on posting without', async () => {
    const page = await signIn(browser, server, OWNER, '/admin/incidents/new');
    expect(await page.getByLabel('Message (markdown)').inputValue()).toContain('issues with our services');
    await page.getByLabel('API').selectOption('major_outage');
    await expect.poll(() => page.getByLabel('Message (markdown)').inputValue()).toContain('issues with API');
    // An edited text is the lead's: choosing another component leaves it alone.
    await page.getByLabel('Message (markdown)').fill('Our own words about the API.');
    await page
      .locator('label.component-status', { hasText: 'Website' })
      .locator('select')
      .selectOption('degraded_performance');
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe('Issues with API and Website');
    await new Promise((r) => setTimeout(r, 800));
    expect(await page.getByLabel('Message (markdown)').inputValue()).toBe('Our own words about the API.');
    // Picking a template applies it at once, with its placeholders filled.
    await page.getByLabel('Template').selectOption({ label: 'Investigating' });
    await expect
      .poll(() => page.getByLabel('Message (markdown)').inputValue())
      .toMatch(
        /^We are aware of issues with API and Website and are investigating\. We will post an update by \d\d:\d\d UTC\.$/,
      );
    expect(JSON.stringify(await seriousViolations(page))).toBe('[]');
    await page.screenshot({ path: join(SHOTS, 'composer-new-incident.png'), fullPage: true });
    await page.context().close();

    const plain = await signIn(browser, server, OWNER, '/admin/incidents/new', { javaScriptEnabled: false });
    expect(await plain.getByLabel('Title').inputValue()).toBe('Issues with our services');
    await plain
      .locator('label.component-status', { hasText: 'Website' })
      .locator('select')
      .selectOption('partial_outage');
    await plain.getByRole('button', { name: 'Post incident' }).click();
    await plain.waitForLoadState();
    // Nothing was posted with "our services" baked in: the form came back with the words refreshed.
    expect(await plain.getByRole('status').first().textContent()).toContain('filled in again');
    expect(await plain.getByLabel('Title').inputValue()).toBe('Issues with Website');
    expect(await plain.getByLabel('Message (markdown)').inputValue()).toContain('issues with Website');
    await plain.getByRole('button', { name: 'Post incident' }).click();
    await plain.waitForURL(/\/admin\/incidents\/\w+\?posted=/);
    const id = /incidents\/(\w+)\?/.exec(plain.url())?.[1] ?? '';
    const created = await api<IncidentJson>('GET', `/incidents/${id}`);
    expect(created.name).toBe('Issues with Website');
    expect(created.incident_updates[0]?.body).toContain('issues with Website');
    await plain.context().close();
    await api('POST', `/incidents/${id}/resolve`, { body: 'Fixed.', notify: false });
  });

  it('changes the impact during Monitoring and the public banner, JSON and timeline follow', async () => {
    const incident = await openCritical('Errors on the API');
    await api('POST', `/incidents/${incident.id}/updates`, {
      status: 'monitoring',
      body: 'A fix is out.',
      components: { [apiId]: 'operational' },
      notify: false,
    });
    expect(await (await fetch(`${server.url}/`)).text()).toContain('Major Service Outage');

    const page = await signIn(browser, server, OWNER, `/admin/incidents/${incident.id}`, { javaScriptEnabled: false });
    expect(await page.locator('.incident-facts').textContent()).toContain('P1 · Critical (critical impact)');
    await page.getByText('Change the title or impact').click();
    const edit = page.locator('details', { hasText: 'Change the title or impact' });
    await edit.getByLabel(/^Impact/).selectOption('minor');
    await edit.getByLabel('Title').fill('Slow errors on the API');
    await page.getByRole('button', { name: 'Save title and impact' }).click();
    await page.waitForURL(/\?edited=1$/);
    const home = await (await fetch(`${server.url}/`)).text();
    expect(home).toContain('Minor Service Outage');
    expect(home).not.toContain('Major Service Outage');
    const status = (await (await fetch(`${server.url}/api/v2/status.json`)).json()) as {
      status: { indicator: string };
    };
    expect(status.status.indicator).toBe('minor');
    const timeline = await page.locator('.timeline').textContent();
    expect(timeline).toContain('Impact changed from critical to minor');
    expect(timeline).toContain('Title changed from “Errors on the API” to “Slow errors on the API”');
    await page.context().close();
    await api('POST', `/incidents/${incident.id}/resolve`, { body: 'Resolved.', notify: false });
  });

  it('keeps an internal note off the page, feeds, JSON and every subscriber, and tells the stakeholders', async () => {
    const incident = await openCritical('Database failover');
    await until(() => smtp.to('carol@example.com').length >= 1, 'the opening mail to the subscriber');
    // Only this incident's mails count: earlier tests' incidents may still be telling the CTO of their end.
    const toCto = () =>
      smtp.to('cto@example.com').filter((m) => (m.parsed.subject ?? '').includes('Database failover'));
    await until(() => toCto().length >= 1, 'the opening mail to the CTO');
    const carolBefore = smtp.to('carol@example.com').length;
    const ctoBefore = toCto().length;

    for (const javaScriptEnabled of [true, false]) {
      const marker = `internal-marker-${javaScriptEnabled ? 'script' : 'plain'}-${Date.now()}`;
      const page = await signIn(browser, server, OWNER, `/admin/incidents/${incident.id}`, { javaScriptEnabled });
      await page.getByLabel(/An internal note/).check();
      if (javaScriptEnabled) expect(await page.getByLabel('Status').isVisible()).toBe(false);
      await page.getByLabel('Message (markdown)').fill(`Failover at 40%; ${marker}.`);
      await page.getByRole('button', { name: 'Add internal note' }).click();
      await page.waitForURL(/\?noted=1#timeline$/);
      expect(await page.getByRole('status').first().textContent()).toContain('1 stakeholder told');
      expect(await page.locator('.timeline .team-note').first().textContent()).toContain(marker);
      await until(
        () => smtp.to('cto@example.com').some((m) => (m.parsed.text ?? '').includes(marker)),
        'the note to the CTO',
      );
      if (javaScriptEnabled) {
        // axe runs only where script does.
        expect(JSON.stringify(await seriousViolations(page))).toBe('[]');
        await page.screenshot({ path: join(SHOTS, 'incident-internal-note.png'), fullPage: true });
      }
      await page.context().close();
      expect(await publicText(incident.code)).not.toContain(marker);
      expect((await api<IncidentJson>('GET', `/incidents/${incident.id}`)).incident_updates).toHaveLength(1);
    }
    expect(toCto().length).toBe(ctoBefore + 2);
    // Give a wrongly sent mail time to arrive before saying none did.
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.to('carol@example.com')).toHaveLength(carolBefore);
    await api('POST', `/incidents/${incident.id}/resolve`, { body: 'Resolved.', notify: false });
  });

  it('holds a critical update until a second member approves it, then publishes and notifies', async () => {
    await api('PATCH', '/settings', { approval_impacts: ['critical'] });
    const incident = await openCritical('Payments failing');
    await until(
      () => smtp.to('carol@example.com').some((m) => m.parsed.subject?.includes('Payments failing')),
      'the opening mail',
    );
    const carolBefore = smtp.to('carol@example.com').length;

    const editor = await signIn(browser, server, EDITOR, `/admin/incidents/${incident.id}`);
    await editor.getByLabel('Status').selectOption({ label: 'Identified' });
    await editor.getByLabel('Message (markdown)').fill('The card processor times out; we are switching to the backup.');
    await editor.getByRole('button', { name: 'Ask for approval' }).click();
    await editor.waitForURL(/\?pending=\w+#approvals$/);
    expect(await editor.locator('#approvals').textContent()).toContain('Another member approves it');
    expect(await editor.getByRole('button', { name: 'Approve and publish' }).count()).toBe(0);
    expect(await publicText(incident.code)).not.toContain('switching to the backup');
    // The author cannot approve their own words, even by posting the form by hand.
    const pendingId = /pending=(\w+)/.exec(editor.url())?.[1] ?? '';
    const own = await postForm(server, `/admin/incidents/${incident.id}`, await cookieOf(editor), {
      action: 'approve',
      pending_id: pendingId,
    });
    expect(own.status).toBe(403);
    await editor.context().close();

    // axe needs script: the page is checked with it, then approved without.
    const looked = await signIn(browser, server, OWNER, `/admin/incidents/${incident.id}`);
    expect(JSON.stringify(await seriousViolations(looked))).toBe('[]');
    await looked.screenshot({ path: join(SHOTS, 'incident-awaiting-approval.png'), fullPage: true });
    await looked.context().close();
    const owner = await signIn(browser, server, OWNER, `/admin/incidents/${incident.id}`, { javaScriptEnabled: false });
    expect(await owner.locator('#approvals').textContent()).toContain('switching to the backup');
    await owner.getByRole('button', { name: 'Approve and publish' }).click();
    await owner.waitForURL(/\?approved=1$/);
    const published = await api<IncidentJson>('GET', `/incidents/${incident.id}`);
    expect(published.status).toBe('identified');
    expect(published.incident_updates[0]).toMatchObject({ author: EDITOR.email });
    expect(await publicText(incident.code)).toContain('switching to the backup');
    await until(() => smtp.to('carol@example.com').length > carolBefore, 'the approved update mail');
    expect(await owner.locator('.timeline').textContent()).toContain('Approved the update by editor@example.com');
    await owner.context().close();
    await api('PATCH', '/settings', { approval_impacts: [] });
    await api('POST', `/incidents/${incident.id}/resolve`, { body: 'Resolved.', notify: false });
  });

  it('assigns the response roles and schedules the review when resolving', async () => {
    const incident = await openCritical('Login outage');
    const page = await signIn(browser, server, OWNER, `/admin/incidents/${incident.id}`);
    await page.getByText('Assign roles').click();
    await page.getByLabel('Incident commander').selectOption({ label: `Edna Editor (${EDITOR.email})` });
    await page.getByLabel('Communications lead').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Save roles' }).click();
    await page.waitForURL(/#roles$/);
    expect(await page.locator('#roles').textContent()).toContain('Incident commander: Edna Editor');
    await page.getByLabel('Status').selectOption({ label: 'Resolved' });
    await expect.poll(() => page.getByLabel(/Post-incident review on/).isVisible()).toBe(true);
    await page.getByLabel(/Post-incident review on/).fill('2030-01-07');
    await page.getByLabel('Message (markdown)').fill('Logins work again.');
    await page.getByRole('button', { name: 'Post update' }).click();
    await page.waitForURL(/\?posted=/);
    expect((await api<IncidentJson>('GET', `/incidents/${incident.id}`)).review_due_on).toBe('2030-01-07');
    expect(await page.locator('.timeline').textContent()).toContain('Edna Editor is incident commander');
    expect(JSON.stringify(await seriousViolations(page))).toBe('[]');
    await page.screenshot({ path: join(SHOTS, 'incident-resolved-roles.png'), fullPage: true });
    await page.context().close();
  });

  it('schedules maintenance from the same composer, with its template filled in from the window', async () => {
    const page: Page = await signIn(browser, server, OWNER, '/admin/maintenance');
    await page.getByLabel('Title').fill('Database upgrade');
    await page.getByLabel('API', { exact: true }).check();
    await expect.poll(() => page.getByLabel('Message (markdown)').inputValue()).toContain('maintenance on API');
    expect(JSON.stringify(await seriousViolations(page))).toBe('[]');
    await page.screenshot({ path: join(SHOTS, 'composer-maintenance.png'), fullPage: true });
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.waitForURL(/\/admin\/incidents\/\w+\?scheduled=1$/);
    await page.context().close();
  });
});
