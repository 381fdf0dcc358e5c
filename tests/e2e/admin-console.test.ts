import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { seriousViolations } from '../helpers/axe.ts';
import { launchChromium } from '../helpers/browser.ts';
import { cookieOf, OWNER, postForm, signIn as signInAs } from '../helpers/console.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';

const PAGES = join(import.meta.dirname, '../../src/pages/admin');
const SHOTS = join(import.meta.dirname, '../.tmp/screenshots');

/** Every admin page, as a URL: found on disk, so a new page cannot be forgotten here. */
function adminUrls(): string[] {
  const files = readdirSync(PAGES, { recursive: true, withFileTypes: true }).filter(
    (f) => f.isFile() && f.name.endsWith('.astro'),
  );
  return files.map((f) => {
    const path = relative(PAGES, join(f.parentPath, f.name))
      .replace(/\.astro$/, '')
      .replace(/(^|\/)index$/, '')
      // The catch-all ([...path]) is the console's 404: an address no page answers.
      .replace(/\[\.\.\.[^\]]+\]/g, 'no-such-page')
      .replace(/\[[^\]]+\]/g, 'abc123');
    return `/admin${path ? `/${path}` : ''}`;
  });
}

describe('the admin console in Debian Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-admin-'));
  let server: ServerProcess;
  let browser: Browser;
  let api: ReturnType<typeof adminApi>;

  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
    api = adminApi(server, await ownerToken(server));
    await api('POST', '/users', { email: 'viewer@example.com', role: 'viewer', password: 'viewer password 1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const signIn = (email: string, password: string, next = '/admin') =>
    signInAs(browser, server, { email, password }, next);

  it('refuses every admin page without a session', async () => {
    const urls = adminUrls();
    expect(urls).toEqual(
      expect.arrayContaining([
        '/admin',
        '/admin/login',
        '/admin/components',
        '/admin/maintenance',
        '/admin/incidents/new',
        '/admin/incidents/abc123',
      ]),
    );
    for (const url of urls.filter((u) => u !== '/admin/login')) {
      const res = await fetch(`${server.url}${url}`, { redirect: 'manual' });
      expect([
        url,
        res.status,
        res.headers.get('location')?.startsWith('/admin/login'),
        res.headers.get('cache-control'),
      ]).toEqual([url, 303, true, 'no-store']);
    }
  });

  it('creates two components, posts an incident from a template, updates it twice and resolves it; the public pages follow each step', async () => {
    const page = await signIn(OWNER.email, OWNER.password, '/admin/components');
    for (const name of ['API', 'Website']) {
      const add = page.locator('form', { has: page.getByRole('button', { name: 'Add component' }) });
      await add.getByLabel('Name').fill(name);
      await add.getByRole('button', { name: 'Add component' }).click();
      await page.waitForURL(`${server.url}/admin/components`);
    }
    expect((await api<Array<{ name: string }>>('GET', '/components')).map((c) => c.name)).toEqual(['API', 'Website']);
    await page.getByRole('link', { name: 'New incident' }).click();
    // The first template is filled in at once, and follows the components while it is not edited.
    expect(await page.getByLabel('Title').inputValue()).toBe('Issues with our services');
    await page.getByLabel('API').selectOption('partial_outage');
    await expect.poll(() => page.getByLabel('Title').inputValue()).toBe('Issues with API');
    expect(await page.getByLabel('Message (markdown)').inputValue()).toContain('We are aware of issues with API');
    expect(await page.getByRole('button', { name: 'Apply template' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Post incident' }).click();
    await page.waitForURL(/\/admin\/incidents\/\w+\?posted=\w+$/);
    expect(await page.getByRole('status').first().textContent()).toMatch(/Posted · \d+ subscribers? being notified/);
    const link = await page.getByLabel('Link for customers').inputValue();
    const code = /incidents\/(\w+)$/.exec(link)?.[1] ?? '';
    // Support copies the permalink with one click.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page
      .locator('.copy-link', { has: page.getByLabel('Link for customers') })
      .getByRole('button', { name: 'Copy link' })
      .click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

    let home = await (await fetch(`${server.url}/`)).text();
    expect(home).toContain('Partial System Outage');
    expect(home).toContain('Issues with API');

    for (const [status, body] of [
      ['Identified', 'A bad deploy.'],
      ['Monitoring', 'Rolled back.'],
    ] as const) {
      await page.getByLabel('Status').selectOption({ label: status });
      await page.getByLabel('Message (markdown)').fill(body);
      await page.getByRole('button', { name: 'Post update' }).click();
      await page.waitForLoadState();
      expect(await (await fetch(`${server.url}/incidents/${code}`)).text()).toContain(body);
    }
    await page.getByLabel('Status').selectOption({ label: 'Resolved' });
    await page.getByLabel('Message (markdown)').fill('All good now.');
    await page.getByRole('button', { name: 'Post update' }).click();
    await page.waitForLoadState();
    home = await (await fetch(`${server.url}/`)).text();
    expect(home).toContain('All Systems Operational');
    const permalink = await (await fetch(`${server.url}/incidents/${code}`)).text();
    expect(permalink.indexOf('All good now.')).toBeLessThan(permalink.indexOf('Rolled back.'));
    expect(await page.getByRole('button', { name: 'Post update' }).count()).toBe(0);
  });

  it('lets an owner add, rename, move and hide components without script, and the public page follows', async () => {
    const page = await signInAs(browser, server, OWNER, '/admin/components', { javaScriptEnabled: false });
    const add = page.locator('form', { has: page.getByRole('button', { name: 'Add component' }) });
    await add.getByLabel('Name').fill('Billing');
    await add.getByRole('button', { name: 'Add component' }).click();
    await page.waitForURL(`${server.url}/admin/components`);
    const row = page.locator('li', { has: page.locator('input[value="Billing"]') });
    await row.getByLabel('Name').fill('Billing API');
    await row.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`${server.url}/admin/components`);
    await page.getByRole('button', { name: 'Move Billing API up' }).click();
    await page.waitForURL(`${server.url}/admin/components`);
    const names = async () => (await api<Array<{ name: string }>>('GET', '/components')).map((c) => c.name);
    expect((await names()).slice(-2)).toEqual(['Billing API', 'Website']);
    expect(await (await fetch(`${server.url}/`)).text()).toContain('Billing API');
    const hideRow = page.locator('li', { has: page.locator('input[value="Billing API"]') });
    await hideRow.getByLabel('Hidden from the public page').check();
    await hideRow.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`${server.url}/admin/components`);
    expect(await (await fetch(`${server.url}/`)).text()).not.toContain('Billing API');

    // Groups: add two, rename one, move it up; the public page lists them in that order.
    for (const name of ['Core', 'Extras']) {
      const add = page.locator('form', { has: page.getByRole('button', { name: 'Add group' }) });
      await add.getByLabel('Group name').fill(name);
      await add.getByRole('button', { name: 'Add group' }).click();
      await page.waitForURL(`${server.url}/admin/components`);
    }
    await page.getByLabel('Name of the group Extras').fill('Add-ons');
    await page
      .locator('form', { has: page.getByLabel('Name of the group Extras') })
      .getByRole('button', { name: 'Rename' })
      .click();
    await page.waitForURL(`${server.url}/admin/components`);
    await page.getByRole('button', { name: 'Move group Add-ons up' }).click();
    await page.waitForURL(`${server.url}/admin/components`);
    expect((await api<Array<{ name: string }>>('GET', '/component-groups')).map((g) => g.name)).toEqual([
      'Add-ons',
      'Core',
    ]);

    // Deleting takes a second click, after the first has said what it does.
    const addComponent = page.locator('form', { has: page.getByRole('button', { name: 'Add component' }) });
    await addComponent.getByLabel('Name').fill('Scratch');
    await addComponent.getByRole('button', { name: 'Add component' }).click();
    await page.waitForURL(`${server.url}/admin/components`);
    const scratch = page.locator('li', { has: page.locator('input[value="Scratch"]') });
    expect(await scratch.getByRole('button', { name: 'Delete Scratch' }).isVisible()).toBe(false);
    await scratch.locator('summary', { hasText: 'Delete…' }).click();
    expect(await scratch.textContent()).toContain('hide it instead');
    await scratch.getByRole('button', { name: 'Delete Scratch' }).click();
    await page.waitForURL(`${server.url}/admin/components`);
    expect(await names()).not.toContain('Scratch');
    const core = page.locator('li', { has: page.getByLabel('Name of the group Core') });
    await core.locator('summary', { hasText: 'Delete…' }).click();
    await core.getByRole('button', { name: 'Delete group Core' }).click();
    await page.waitForURL(`${server.url}/admin/components`);
    expect((await api<Array<{ name: string }>>('GET', '/component-groups')).map((g) => g.name)).toEqual(['Add-ons']);
    await page.context().close();
  });

  it('schedules maintenance in the page time zone, starts and completes it', async () => {
    await api('PATCH', '/settings', { time_zone: 'Europe/Paris' });
    const page = await signIn(OWNER.email, OWNER.password);
    await page.goto(`${server.url}/admin/maintenance`);
    await page.getByLabel('Title').fill('Database upgrade');
    await page.getByLabel('Starts (Europe/Paris)').fill('2027-01-10T02:00');
    await page.getByLabel('Ends (Europe/Paris)').fill('2027-01-10T03:30');
    await page.getByLabel('API', { exact: true }).check();
    await page.getByLabel('Message (markdown)').fill('Read-only for a few minutes.');
    expect(await page.getByLabel('Remind subscribers').inputValue()).toBe('60');
    await page.getByLabel('Remind subscribers').fill('30');
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.waitForURL(/\/admin\/incidents\/\w+\?scheduled=1$/);
    await page.goto(`${server.url}/admin/maintenance`);
    const [scheduled] = await api<
      Array<{ id: string; scheduled_for: string; scheduled_until: string; status: string }>
    >('GET', '/maintenance?per_page=1');
    expect(scheduled).toMatchObject({
      scheduled_for: '2027-01-10T01:00:00.000Z',
      scheduled_until: '2027-01-10T02:30:00.000Z',
      status: 'scheduled',
      remind_minutes_before: 30,
    });
    await page.getByRole('button', { name: 'Start now' }).click();
    await page.waitForURL(`${server.url}/admin/maintenance`);
    expect(await (await fetch(`${server.url}/`)).text()).toContain('Maintenance in progress');
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.waitForURL(`${server.url}/admin/maintenance`);
    expect((await api<{ status: string }>('GET', `/maintenance/${scheduled?.id}`)).status).toBe('completed');
    await api('PATCH', '/settings', { time_zone: 'UTC' });
  });

  it('edits a scheduled window in the page time zone', async () => {
    await api('PATCH', '/settings', { time_zone: 'America/New_York' });
    const planned = await api<{ id: string }>('POST', '/maintenance', {
      name: 'Cache flush',
      body: 'Short.',
      components: [],
      scheduled_for: '2027-03-01T10:00:00Z',
      scheduled_until: '2027-03-01T11:00:00Z',
      notify: false,
    });
    const page = await signIn(OWNER.email, OWNER.password, '/admin/maintenance');
    const edit = page.locator('details', { hasText: 'Edit Cache flush' });
    await edit.locator('summary').click();
    expect(await edit.getByLabel('Starts (America/New_York)').inputValue()).toBe('2027-03-01T05:00');
    await edit.getByLabel('Ends (America/New_York)').fill('2027-03-01T07:30');
    await edit.getByLabel('Website').check();
    // An empty box turns the reminder off.
    await edit.getByLabel('Remind subscribers').fill('');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`${server.url}/admin/maintenance`);
    const edited = await api<{
      scheduled_until: string;
      remind_minutes_before: number | null;
      components: Array<{ name: string }>;
    }>('GET', `/maintenance/${planned.id}`);
    expect(edited.scheduled_until).toBe('2027-03-01T12:30:00.000Z');
    expect(edited.remind_minutes_before).toBeNull();
    expect(edited.components.map((c) => c.name)).toEqual(['Website']);
    await api('POST', `/maintenance/${planned.id}/cancel`, { notify: false });
    await api('PATCH', '/settings', { time_zone: 'UTC' });
  });

  it('changes a status from the dashboard board through the one composer: a new incident, then an update of it', async () => {
    const page = await signIn(OWNER.email, OWNER.password);
    const row = page.locator('tr', { has: page.getByText('Change status of Website') });
    await row.getByText('Change status of Website').click();
    await row.getByLabel('New status').selectOption('major_outage');
    expect(await row.getByLabel('Post it on').inputValue()).toBe('new');
    await row.getByRole('button', { name: 'Write the update' }).click();
    // The composer opens with the change chosen and the template filled in for it.
    await page.waitForURL(/\/admin\/incidents\/new\?component=/);
    const website = page.locator('label.component-status', { hasText: 'Website' }).locator('select');
    expect(await website.inputValue()).toBe('major_outage');
    expect(await page.getByLabel('Title').inputValue()).toBe('Issues with Website');
    await page.getByLabel('Message (markdown)').fill('The website is down.');
    await page.getByRole('button', { name: 'Post incident' }).click();
    await page.waitForURL(/\/admin\/incidents\/\w+\?posted=/);
    const incidentId = /incidents\/(\w+)\?/.exec(page.url())?.[1] ?? '';
    const created = await api<{ name: string; impact: string; incident_updates: unknown[] }>(
      'GET',
      `/incidents/${incidentId}`,
    );
    expect(created).toMatchObject({ name: 'Issues with Website', impact: 'critical' });
    expect(await (await fetch(`${server.url}/`)).text()).toContain('Major Outage');

    await page.goto(`${server.url}/admin`);
    const again = page.locator('tr', { has: page.getByText('Change status of Website') });
    expect(await again.textContent()).toContain('in Issues with Website');
    await again.getByText('Change status of Website').click();
    await again.getByLabel('New status').selectOption('degraded_performance');
    expect(await again.getByLabel('Post it on').inputValue()).toBe(incidentId);
    await again.getByRole('button', { name: 'Write the update' }).click();
    await page.waitForURL(new RegExp(`/admin/incidents/${incidentId}\\?component=`));
    expect(await page.locator('label.component-status', { hasText: 'Website' }).locator('select').inputValue()).toBe(
      'degraded_performance',
    );
    await page.getByLabel('Status').selectOption({ label: 'Identified' });
    await page.getByLabel('Message (markdown)').fill('Partly back.');
    await page.getByRole('button', { name: 'Post update' }).click();
    await page.waitForURL(new RegExp(`/admin/incidents/${incidentId}\\?posted=`));
    const updated = await api<{
      incident_updates: Array<{ body: string }>;
      components: Array<{ name: string; status: string }>;
    }>('GET', `/incidents/${incidentId}`);
    expect(updated.incident_updates.map((u) => u.body)).toEqual(['Partly back.', 'The website is down.']);
    expect(updated.components).toEqual([expect.objectContaining({ name: 'Website', status: 'degraded_performance' })]);

    // Without a message nothing changes: a status never changes silently.
    const websiteId =
      (await api<Array<{ id: string; name: string }>>('GET', '/components')).find((c) => c.name === 'Website')?.id ??
      '';
    const refused = await postForm(server, `/admin/incidents/${incidentId}`, await cookieOf(page), {
      action: 'post',
      status: 'identified',
      [`component:${websiteId}`]: 'operational',
      body: '',
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('must not be empty');
    expect(
      (await api<{ incident_updates: unknown[] }>('GET', `/incidents/${incidentId}`)).incident_updates,
    ).toHaveLength(2);
    await api('POST', `/incidents/${incidentId}/resolve`, { body: 'Fixed.', notify: false });
  });

  it('previews the public rendering and the mail as the lead types, and on demand without script', async () => {
    const page = await signIn(OWNER.email, OWNER.password, '/admin/incidents/new');
    await page.getByLabel(/^API/).selectOption('partial_outage');
    await page.getByLabel('Title').fill('Slow API answers');
    await page.getByLabel('Message (markdown)').fill('We are **looking** into slow answers.');
    const publicPart = page.locator('[data-preview-part="public"]');
    await publicPart.locator('strong', { hasText: 'looking' }).waitFor();
    expect(await publicPart.textContent()).toContain('Slow API answers');
    expect(await publicPart.textContent()).toContain('Affects API');
    const mail = page.frameLocator('iframe.preview-email');
    await mail.locator('strong', { hasText: 'looking' }).waitFor();
    expect(await mail.locator('h1').textContent()).toBe('Investigating: Slow API answers');
    expect(await page.locator('[data-preview-part="email"]').textContent()).toContain(
      'Subject: [Herald Status] Slow API answers: Investigating',
    );
    expect(await api<unknown[]>('GET', '/incidents?per_page=100')).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Slow API answers' })]),
    );

    const plain = await signInAs(browser, server, OWNER, '/admin/incidents/new', { javaScriptEnabled: false });
    await plain.getByLabel('Title').fill('Plain preview');
    await plain.getByLabel('Message (markdown)').fill('Seen _before_ posting.');
    await plain.getByRole('button', { name: 'Preview' }).click();
    await plain.waitForLoadState();
    expect(await plain.locator('[data-preview-part="public"] em').textContent()).toBe('before');
    expect(await plain.getByLabel('Title').inputValue()).toBe('Plain preview');
    await plain.context().close();
  });

  it("corrects an update's text and publishes a postmortem, and the permalink shows both", async () => {
    const incident = await api<{ id: string; code: string }>('POST', '/incidents', {
      name: 'Typo incident',
      body: 'We are investigaitng.',
      components: {},
      notify: false,
    });
    await api('POST', `/incidents/${incident.id}/resolve`, { body: 'Resolved.', notify: false });
    const page = await signIn(OWNER.email, OWNER.password);
    await page.goto(`${server.url}/admin/incidents/${incident.id}`);
    const typo = page.locator('li', { hasText: 'We are investigaitng.' });
    await typo.getByText("Correct this update's text").click();
    await typo.getByLabel(/Corrected text/).fill('We are investigating.');
    await typo.getByRole('button', { name: 'Save correction' }).click();
    await page.waitForURL(new RegExp(`/admin/incidents/${incident.id}`));
    expect(await page.getByLabel('Postmortem (markdown)').inputValue()).toContain('## Root cause');
    expect(await page.locator('#postmortem-sections').textContent()).toMatch(
      /^Still to write: Summary, Impact, Timeline, Root cause, /,
    );
    // Publishing the untouched outline is refused; the lead is told why and nothing goes public.
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(new RegExp(`/admin/incidents/${incident.id}`));
    expect(await page.getByRole('alert').textContent()).toContain('Write the postmortem before publishing it');
    expect(await (await fetch(`${server.url}/incidents/${incident.code}`)).text()).not.toMatch(/Postmortem/);
    await page
      .getByLabel('Postmortem (markdown)')
      .fill('## Summary\nA config typo took checkout down.\n\n## Root cause\nA config **typo**.');
    // As the lead types, the preview shows how it will read, and what is left to write.
    const preview = page.locator('[data-preview-part="postmortem"]');
    await expect.poll(() => preview.locator('h2').allTextContents()).toEqual(['Summary', 'Root cause']);
    expect(await preview.locator('strong').textContent()).toBe('typo');
    await expect.poll(() => page.locator('#postmortem-sections').textContent()).toMatch(/^Every section has text\./);
    expect(
      (await api<{ postmortem_body: string | null }>('GET', `/incidents/${incident.id}`)).postmortem_body,
    ).not.toContain('typo');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(new RegExp(`/admin/incidents/${incident.id}`));
    expect(await page.locator('#postmortem-sections').textContent()).toMatch(/^Every section has text\./);
    const permalink = await (await fetch(`${server.url}/incidents/${incident.code}`)).text();
    expect(permalink).toContain('We are investigating.');
    expect(permalink).not.toContain('investigaitng');
    expect(permalink).toMatch(/edited/);
    expect(permalink).toMatch(/Postmortem.*A config <strong>typo<\/strong>\./s);
    // Without script, the Preview button renders the same preview and keeps the text.
    const plain = await signInAs(browser, server, OWNER, `/admin/incidents/${incident.id}`, {
      javaScriptEnabled: false,
    });
    await plain.getByLabel('Postmortem (markdown)').fill('## Summary\nRewritten _later_.');
    await plain.getByRole('button', { name: 'Preview' }).click();
    await plain.waitForLoadState();
    expect(await plain.locator('[data-preview-part="postmortem"] em').textContent()).toBe('later');
    expect(await plain.getByLabel('Postmortem (markdown)').inputValue()).toBe('## Summary\nRewritten _later_.');
    await plain.context().close();
    expect((await api<{ postmortem_body: string }>('GET', `/incidents/${incident.id}`)).postmortem_body).toContain(
      'A config **typo**.',
    );
    // Support reads it in the console too.
    const viewer = await signIn('viewer@example.com', 'viewer password 1', `/admin/incidents/${incident.id}`);
    expect(
      await viewer
        .locator('section', { has: viewer.getByRole('heading', { name: 'Postmortem (published)' }) })
        .textContent(),
    ).toContain('A config typo took checkout down.');
  });

  it('says "Update due" once the cadence for the impact has passed, in an open dashboard too', async () => {
    const incident = await api<{ id: string; name: string }>('POST', '/incidents', {
      name: 'Slow checkout',
      body: 'Looking into it.',
      impact: 'major',
      notify: false,
    });
    const page = await signIn(OWNER.email, OWNER.password);
    const row = page.getByRole('row', { name: /Slow checkout/ });
    await expect.poll(() => row.textContent()).toMatch(/^Slow checkoutby .+ UTC0 min ago/);
    expect(await page.title()).toBe('Dashboard · Herald admin');

    // Seventy minutes pass without an update: more than the hour a major incident allows.
    const db = new Database(join(dir, 'herald.db'));
    try {
      db.pragma('busy_timeout = 5000');
      const then = new Date(Date.now() - 70 * 60_000).toISOString();
      db.prepare('update incident_updates set created_at = ? where incident_id = ?').run(then, incident.id);
      db.prepare('update incidents set started_at = ? where id = ?').run(then, incident.id);
    } finally {
      db.close();
    }
    // The tab coming back to the front refreshes the list without a reload.
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(() => row.textContent()).toMatch(/^Slow checkoutUpdate dueInternal update due70 min ago/);
    expect(await page.title()).toBe('(1 update due) Dashboard · Herald admin');
    await expect.poll(() => row.getByRole('button', { name: 'Copy link' }).isVisible()).toBe(true);
    // The incident's own page, where the lead writes the update, says it too.
    const incidentPage = await page.context().newPage();
    await incidentPage.goto(`${server.url}/admin/incidents/${incident.id}`);
    // The team's own clock has run out too: the stakeholders' banner comes after the customers' one.
    expect(await incidentPage.locator('.due-banner').nth(1).textContent()).toContain('Internal update due');
    expect(await incidentPage.locator('.due-banner').first().textContent()).toBe(
      'Update due. The last public update was 70 min ago; at P2 · High (major impact) customers expect one every 1 h.Nothing new: restart the clock',
    );

    await api('POST', `/incidents/${incident.id}/updates`, {
      status: 'identified',
      body: 'A slow query; rolling back.',
      notify: false,
    });
    await page.reload();
    await expect.poll(() => row.textContent()).toMatch(/^Slow checkoutby .+ UTC0 min ago/);
    expect(await page.title()).toBe('Dashboard · Herald admin');
    await incidentPage.reload();
    expect(await incidentPage.locator('.due-banner').count()).toBe(0);
    expect(
      await incidentPage
        .getByText(
          /^Last public update 0 min ago; the next is due by .* \(every 1 h at P2 · High \(major impact\)\)\.$/,
        )
        .count(),
    ).toBe(1);
  });

  it('lets support find any incident, open or long resolved, by title and state, and copy its link', async () => {
    const old = await api<{ id: string; code: string }>('POST', '/incidents', {
      name: 'Checkout 100% failing',
      body: 'Payments fail.',
      impact: 'critical',
      notify: false,
    });
    await api('POST', `/incidents/${old.id}/resolve`, { notify: false });
    await api('PUT', `/incidents/${old.id}/postmortem`, { body: '## Summary\nA certificate expired.' });
    await api('POST', `/incidents/${old.id}/postmortem/publish`, { notify: false });

    const page = await signIn('viewer@example.com', 'viewer password 1');
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Incidents', exact: true }).click();
    await page.waitForURL(`${server.url}/admin/incidents`);
    expect(await page.getByRole('link', { name: 'Incidents', exact: true }).getAttribute('aria-current')).toBe('page');
    await page.getByLabel('Title contains').fill('checkout');
    await page.getByLabel('State').selectOption('resolved');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(/q=checkout&state=resolved/);
    expect(await page.getByRole('status').textContent()).toBe('1 incident whose title contains “checkout”.');
    const row = page.getByRole('row', { name: /Checkout 100% failing/ });
    expect(await row.textContent()).toContain('Published');
    expect(await row.getByRole('textbox', { name: 'Link to Checkout 100% failing for customers' }).inputValue()).toBe(
      `${server.url}/incidents/${old.code}`,
    );

    await page.getByLabel('State').selectOption('open');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(/state=open/);
    expect(await page.getByRole('row', { name: /Slow checkout/ }).count()).toBe(1);
    expect(await page.getByRole('row', { name: /Checkout 100% failing/ }).count()).toBe(0);

    // Pages of 25, newest first; the search stays on as one pages through.
    for (let n = 1; n <= 26; n++) {
      const paged = await api<{ id: string }>('POST', '/incidents', { name: `Paging ${n}`, body: 'x', notify: false });
      await api('POST', `/incidents/${paged.id}/resolve`, { notify: false });
    }
    await page.goto(`${server.url}/admin/incidents?q=paging`);
    expect(await page.getByRole('status').textContent()).toBe('26 incidents whose title contains “paging”.');
    expect(await page.locator('tbody tr').count()).toBe(25);
    await page.getByRole('navigation', { name: 'Incident pages' }).getByRole('link', { name: 'Older' }).click();
    await page.waitForURL(/\?q=paging&page=2$/);
    expect(await page.locator('tbody tr td:first-child').allTextContents()).toEqual(['Paging 1']);
    expect(await page.getByRole('navigation', { name: 'Incident pages' }).textContent()).toBe('NewerPage 2 of 2');

    await page.goto(`${server.url}/admin/incidents?q=checkout`);
    await page.getByRole('link', { name: 'Checkout 100% failing' }).click();
    await page.waitForURL(`${server.url}/admin/incidents/${old.id}`);
    expect(await page.locator('.crumbs').textContent()).toBe('Incidents › Checkout 100% failing');
  });

  it('posts once when the form is submitted twice', async () => {
    const page = await signIn(OWNER.email, OWNER.password);
    await page.goto(`${server.url}/admin/incidents/new`);
    await page.getByLabel('Title').fill('Double submit');
    await page.getByLabel('Message (markdown)').fill('Once only.');
    // The same form (same hidden key) sent twice, as a double click or a resubmitted page does.
    const form = await page.evaluate(() => {
      const data = new FormData(document.querySelector('form.composer') as HTMLFormElement);
      data.set('action', 'post');
      return new URLSearchParams(data as unknown as Record<string, string>).toString();
    });
    const cookie = await cookieOf(page);
    const send = () =>
      fetch(`${server.url}/admin/incidents/new`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
    const [a, b] = await Promise.all([send(), send()]);
    expect(a.headers.get('location')).toBe(b.headers.get('location'));
    const list = await api<Array<{ name: string }>>('GET', '/incidents?per_page=100');
    expect(list.filter((i) => i.name === 'Double submit')).toHaveLength(1);
  });

  // Every console page twice through axe: a minute or more on a loaded two-core machine.
  it(
    'has no serious or critical accessibility violation on its pages, light and dark',
    { timeout: 180_000 },
    async () => {
      const page = await signIn(OWNER.email, OWNER.password);
      const incidents = await api<Array<{ id: string }>>('GET', '/incidents?per_page=1');
      if (incidents.length === 0)
        incidents.push(
          await api<{ id: string }>('POST', '/incidents', { name: 'Audited', body: 'For the audit.', notify: false }),
        );
      // Every page on disk (found as for the session check above), with a real incident for [id].
      // Signing out answers with a redirect only; confirming needs to know where to go next.
      const names: Record<string, string> = {
        '/admin': 'dashboard',
        '/admin/incidents/new': 'composer',
        '/admin/incidents/abc123': 'incident',
      };
      const pages = adminUrls()
        .filter((url) => url !== '/admin/logout')
        .map((url) => ({
          name: `admin-${names[url] ?? url.slice('/admin/'.length).replaceAll('/', '-')}`,
          path:
            url === '/admin/confirm'
              ? '/admin/confirm?next=/admin/team'
              : url.replace('abc123', incidents[0]?.id ?? 'none'),
        }));
      mkdirSync(SHOTS, { recursive: true });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const { name, path } of pages) {
          const answer = await page.goto(`${server.url}${path}`);
          const status = path.endsWith('/no-such-page') ? 404 : 200;
          expect([path, answer?.status(), new URL(page.url()).pathname]).toEqual([path, status, path.split('?')[0]]);
          // Never kept by a browser or a proxy: a shared machine's back button shows nothing.
          expect([path, answer?.headers()['cache-control']]).toEqual([path, 'no-store']);
          expect(await seriousViolations(page), `${path} (${scheme})`).toEqual([]);
          await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`), fullPage: true });
        }
      }
      // On a phone, in the middle of an outage: nothing wider than the screen, tables scroll inside.
      await page.emulateMedia({ colorScheme: 'light' });
      await page.setViewportSize({ width: 390, height: 844 });
      for (const { name, path } of pages) {
        await page.goto(`${server.url}${path}`);
        expect([
          path,
          await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
        ]).toEqual([path, 0]);
        expect(await seriousViolations(page), `${path} (390 px)`).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `${name}-phone.png`) });
      }
    },
  );

  it('lets a viewer read but not post', async () => {
    const page = await signIn('viewer@example.com', 'viewer password 1');
    // Support's job: the dashboard hands them each open incident's public link, and nothing to change.
    const open = (
      await api<Array<{ name: string; code: string; status: string }>>('GET', '/incidents?per_page=100')
    ).filter((i) => i.status !== 'resolved');
    expect(open.length).toBeGreaterThan(0);
    await page.goto(`${server.url}/admin`);
    for (const incident of open) {
      await expect
        .poll(() => page.getByRole('textbox', { name: `Link to ${incident.name} for customers` }).inputValue())
        .toBe(`${server.url}/incidents/${incident.code}`);
    }
    expect(await page.getByText(/Change status of/).count()).toBe(0);
    await page.goto(`${server.url}/admin/incidents/new`);
    expect(await page.getByRole('alert').textContent()).toContain('cannot post');
    expect(await page.getByRole('button', { name: 'Post incident' }).count()).toBe(0);
    const cookie = await cookieOf(page);
    const res = await fetch(`${server.url}/admin/incidents/new`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'post', name: 'Sneaky', body: 'x', status: 'investigating' }),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('viewer role cannot');
    const rename = await fetch(`${server.url}/admin/components`, {
      method: 'POST',
      headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'create', name: 'Sneaky component' }),
    });
    expect(rename.status).toBe(403);
    const list = await api<Array<{ name: string }>>('GET', '/incidents?per_page=100');
    expect(list.some((i) => i.name === 'Sneaky')).toBe(false);
  });
});
