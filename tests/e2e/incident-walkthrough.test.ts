import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { formatTime } from '../../src/render/format.ts';
import { OWNER } from '../helpers/console.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';

type Created = { id: string; code: string };

/**
 * What a communications lead met walking through one incident on the real server: the tab's
 * icon, the home page's lists, the console's 404, the audit log, the dashboard's wording and
 * its look ahead at maintenance.
 */
describe('an incident walked through by a communications lead', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-walkthrough-'));
  const TZ = 'Europe/Paris';
  let server: ServerProcess;
  let api: ReturnType<typeof adminApi>;
  let cookie = '';
  let apiId = '';
  let incident: Created = { id: '', code: '' };

  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), HERALD_MAIL_DIR: join(dir, 'mail') });
    api = adminApi(server, await ownerToken(server));
    const session = await fetch(`${server.url}/api/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify(OWNER),
    });
    cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    await api('PATCH', '/settings', { page_name: 'Acme Cloud', time_zone: TZ });
    apiId = (await api<Created>('POST', '/components', { name: 'Payments API' })).id;
    await api('POST', '/components', { name: 'Website' });
    // One subscriber, to everything.
    await api('POST', '/subscribers/import', { csv: 'reader@example.com\n' });
  });
  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const page = (path: string, signedIn = true) =>
    fetch(`${server.url}${path}`, { redirect: 'manual', headers: signedIn ? { cookie } : {} });
  const html = async (path: string) => (await page(path)).text();
  const iconOf = (body: string) => /<link rel="icon" href="([^"]+)"/.exec(body)?.[1];
  const count = (body: string, needle: string) => body.split(needle).length - 1;

  it('links the green favicon while all is well', async () => {
    expect(iconOf(await html('/'))).toBe('/favicon-none.svg');
  });

  it('during a major outage the home page links the red favicon, and shows the open incident once', async () => {
    incident = await api<Created>('POST', '/incidents', {
      name: 'Payments failing',
      body: 'Card payments fail.',
      components: { [apiId]: 'major_outage' },
      notify: false,
    });
    const home = await html('/');
    expect(home).toContain('Major Service Outage');
    expect(iconOf(home)).toBe('/favicon-critical.svg');
    const icon = await fetch(`${server.url}/favicon-critical.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await icon.text()).toContain('fill="#b91c1c"');

    // Active, and not again under today's date among the past incidents.
    expect(count(home, `href="/incidents/${incident.code}"`)).toBe(1);
    const active = home.slice(home.indexOf('Active incidents'), home.indexOf('id="components-heading"'));
    expect(active).toContain('Payments failing');
    const past = home.slice(home.indexOf('id="past-heading"'));
    expect(past).not.toContain('Payments failing');
  });

  it('once resolved, the incident shows once, in its day among the past incidents', async () => {
    await api('POST', `/incidents/${incident.id}/resolve`, { body: 'Fixed.', notify: false });
    const home = await html('/');
    expect(iconOf(home)).toBe('/favicon-none.svg');
    expect(home).not.toContain('Active incidents');
    expect(count(home, `href="/incidents/${incident.code}"`)).toBe(1);
    expect(home.slice(home.indexOf('id="past-heading"'))).toContain('Payments failing');
  });

  it('links the favicon of each other indicator, and each one exists', async () => {
    for (const [status, indicator] of [
      ['degraded_performance', 'minor'],
      ['partial_outage', 'major'],
      ['under_maintenance', 'maintenance'],
    ] as const) {
      await api('PATCH', `/components/${apiId}`, { status });
      expect([status, iconOf(await html('/'))]).toEqual([status, `/favicon-${indicator}.svg`]);
      expect((await fetch(`${server.url}/favicon-${indicator}.svg`)).status).toBe(200);
    }
    await api('PATCH', `/components/${apiId}`, { status: 'operational' });
    expect(iconOf(await html('/'))).toBe('/favicon-none.svg');
    // Pages that are not rendered again on every status change show a neutral icon, not a green one.
    expect(iconOf(await html('/history'))).toBe('/favicon-page.svg');
  });

  it('answers an unknown console address with the console 404, never cached, and its way back', async () => {
    for (const path of ['/admin/incidnets', '/admin/no/such/page']) {
      const res = await page(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.text();
      expect(body).toContain('This console page does not exist');
      expect(body).toContain('Herald admin');
      expect(body).toMatch(/<a href="\/admin">Back to the dashboard<\/a>/);
      expect(body).not.toContain('Browse the incident history');
      // Still the console's own stylesheet, not the public site's.
      expect(body).not.toContain('/site.css');
    }
    // Signed out: the sign-in every console address asks for, which then lands on the 404.
    const signedOut = await page('/admin/incidnets', false);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe(`/admin/login?next=${encodeURIComponent('/admin/incidnets')}`);
    expect(signedOut.headers.get('cache-control')).toBe('no-store');
    // Known console pages and the public 404 are as they were.
    expect((await page('/admin')).status).toBe(200);
    expect(await (await page('/no-such-public-page', false)).text()).toContain('This page does not exist');
  });

  it('names the incident in the audit log, with a link to its console page', async () => {
    const audit = await html('/admin/audit');
    expect(audit).toContain(`<a href="/admin/incidents/${incident.id}">Payments failing</a>`);
    expect(audit).toContain('Payments API');
  });

  it('counts one subscriber in the singular on the component board', async () => {
    const dashboard = await html('/admin');
    const board = dashboard.slice(dashboard.indexOf('Component board'));
    expect(board).toMatch(/\b1 subscriber (who )?follows\s+Payments API/);
    expect(board).not.toMatch(/\b1 subscribers\b/);
  });

  it('lists maintenance scheduled in the next 14 days on the dashboard, before it starts', async () => {
    const inThreeDays = new Date(Date.now() + 3 * 86_400_000);
    inThreeDays.setUTCMinutes(0, 0, 0);
    const soon = await api<Created>('POST', '/maintenance', {
      name: 'Database upgrade',
      body: 'A short upgrade.',
      components: [apiId],
      scheduled_for: inThreeDays.toISOString(),
      scheduled_until: new Date(inThreeDays.getTime() + 3_600_000).toISOString(),
      notify: false,
    });
    const later = new Date(Date.now() + 20 * 86_400_000);
    await api('POST', '/maintenance', {
      name: 'Datacentre move',
      body: 'Later.',
      components: [],
      scheduled_for: later.toISOString(),
      scheduled_until: new Date(later.getTime() + 3_600_000).toISOString(),
      notify: false,
    });
    const dashboard = await html('/admin');
    const upcoming = dashboard.slice(dashboard.indexOf('Upcoming maintenance'), dashboard.indexOf('Component board'));
    expect(upcoming).toContain(`<a href="/admin/incidents/${soon.id}">Database upgrade</a>`);
    expect(upcoming).toContain(formatTime(inThreeDays.toISOString(), TZ));
    expect(upcoming).toContain('Payments API');
    expect(upcoming).not.toContain('Datacentre move');
  });
});
