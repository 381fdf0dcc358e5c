import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../helpers/harness.ts';

describe('feeds and the maintenance calendar, read back by real parsers', () => {
  let h: Harness;
  let incident: { id: string; code: string };
  let cancelled: { id: string };
  let window: { id: string; code: string };

  beforeAll(async () => {
    h = await startHarness();
    await h.call('PATCH', '/api/admin/settings', { body: { page_name: 'Acme & Co' } });
    incident = await json(
      await h.call('POST', '/api/admin/incidents', {
        body: {
          name: 'API <errors>',
          body: 'We see **errors**.\n<script>alert(1)</script>',
          components: {},
          notify: false,
        },
      }),
    );
    window = await json(
      await h.call('POST', '/api/admin/maintenance', {
        body: {
          name: 'DB upgrade; phase 1, part 2',
          body: `Expect read-only mode,\nbriefly; ${'long text '.repeat(20)}`,
          components: [],
          scheduled_for: '2026-12-01T02:00:00Z',
          scheduled_until: '2026-12-01T03:30:00Z',
          notify: false,
        },
      }),
    );
    cancelled = await json(
      await h.call('POST', '/api/admin/maintenance', {
        body: {
          name: 'Dropped',
          body: 'x',
          components: [],
          scheduled_for: '2026-12-02T02:00:00Z',
          scheduled_until: '2026-12-02T03:00:00Z',
          notify: false,
        },
      }),
    );
    await h.call('POST', `/api/admin/maintenance/${cancelled.id}/cancel`, { body: { notify: false } });
  });
  afterAll(() => h.close());

  const get = (path: string) => h.call('GET', path, { as: null });

  for (const [path, type] of [
    ['/feed.atom', 'application/atom+xml; charset=utf-8'],
    ['/feed.rss', 'application/rss+xml; charset=utf-8'],
  ] as const) {
    it(`${path} is well-formed XML that a feed parser reads back, one entry per incident`, async () => {
      const res = await get(path);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('x-herald-cache-tags')).toBeNull();
      const xml = await res.text();
      expect(XMLValidator.validate(xml)).toBe(true);
      const feed = parseFeed(xml);
      expect(feed.title).toBe('Acme & Co status');
      expect(feed.url).toBe('http://localhost:4321/');
      const entry = feed.items.find((i) => i.url === `http://localhost:4321/incidents/${incident.code}`);
      expect(entry?.title).toBe('API <errors> (Investigating)');
      expect(entry?.content ?? entry?.description).toContain('<strong>errors</strong>');
      // The HTML inside the XML escapes the script (markdown-it), and the XML escapes that again:
      // a reader that decodes the XML gets &lt;script&gt;, never a tag.
      expect(xml).toContain('&amp;lt;script&amp;gt;');
      expect(xml).not.toMatch(/[^;]&lt;script&gt;|<script/);
      expect(feed.items.some((i) => i.title === 'Maintenance: Dropped (Cancelled)')).toBe(true);
    });
  }

  it("moves an entry's updated time with each new update", async () => {
    const before = parseFeed(await (await get('/feed.atom')).text()).items.find((i) => i.url?.endsWith(incident.code));
    h.clock.advance(5 * 60_000);
    await h.call('POST', `/api/admin/incidents/${incident.id}/updates`, {
      body: { status: 'identified', body: 'Found it.', notify: false },
    });
    const after = parseFeed(await (await get('/feed.atom')).text()).items.find((i) => i.url?.endsWith(incident.code));
    expect(after?.updated?.getTime()).toBeGreaterThan(before?.updated?.getTime() ?? Infinity);
    expect(after?.updated?.toISOString()).toBe(h.clock.now().toISOString());
    expect(after?.title).toBe('API <errors> (Identified)');
    const rss = parseFeed(await (await get('/feed.rss')).text()).items.find((i) => i.url?.endsWith(incident.code));
    expect(rss?.published?.toISOString()).toBe(h.clock.now().toISOString());
  });

  it('serves the maintenance calendar as iCalendar that ical.js reads back', async () => {
    const res = await get('/maintenance.ics');
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    expect(text.includes('\r\n')).toBe(true);
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const upgrade = events.find((e) => e.uid === `${window.id}@localhost`);
    expect(upgrade?.summary).toBe('DB upgrade; phase 1, part 2');
    expect(upgrade?.description).toContain('Expect read-only mode,\nbriefly;');
    expect(upgrade?.startDate.toJSDate().toISOString()).toBe('2026-12-01T02:00:00.000Z');
    expect(upgrade?.endDate.toJSDate().toISOString()).toBe('2026-12-01T03:30:00.000Z');
    expect(upgrade?.component.getFirstPropertyValue('url')).toBe(`http://localhost:4321/incidents/${window.code}`);
    expect(upgrade?.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    const dropped = events.find((e) => e.uid === `${cancelled.id}@localhost`);
    expect(dropped?.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('changes the event SEQUENCE when a window moves', async () => {
    const sequence = async () => {
      const calendar = new ICAL.Component(ICAL.parse(await (await get('/maintenance.ics')).text()));
      return calendar
        .getAllSubcomponents('vevent')
        .map((v) => new ICAL.Event(v))
        .find((e) => e.uid.startsWith(window.id))?.sequence;
    };
    const before = await sequence();
    h.clock.advance(60_000);
    await h.call('PATCH', `/api/admin/maintenance/${window.id}`, { body: { scheduled_until: '2026-12-01T04:00:00Z' } });
    expect(await sequence()).toBeGreaterThan(before ?? Infinity);
  });

  it('raises SEQUENCE by one for each move of the window, even within the same second, and not for a new name', async () => {
    const created = await json<{ id: string }>(
      await h.call('POST', '/api/admin/maintenance', {
        body: {
          name: 'Cache flush',
          body: 'x',
          components: [],
          scheduled_for: '2026-12-03T02:00:00Z',
          scheduled_until: '2026-12-03T03:00:00Z',
          notify: false,
        },
      }),
    );
    const event = async () => {
      const calendar = new ICAL.Component(ICAL.parse(await (await get('/maintenance.ics')).text()));
      const found = calendar
        .getAllSubcomponents('vevent')
        .map((v) => new ICAL.Event(v))
        .find((e) => e.uid === `${created.id}@localhost`);
      return { sequence: found?.sequence, end: found?.endDate.toJSDate().toISOString(), summary: found?.summary };
    };
    const edit = async (body: Record<string, string>) =>
      expect((await h.call('PATCH', `/api/admin/maintenance/${created.id}`, { body })).status).toBe(200);
    expect(await event()).toEqual({ sequence: 0, end: '2026-12-03T03:00:00.000Z', summary: 'Cache flush' });
    // The clock stands still: the old "seconds since creation" would have stayed at 0 here.
    await edit({ scheduled_until: '2026-12-03T03:30:00Z' });
    expect(await event()).toEqual({ sequence: 1, end: '2026-12-03T03:30:00.000Z', summary: 'Cache flush' });
    await edit({ scheduled_for: '2026-12-03T01:30:00Z' });
    expect((await event()).sequence).toBe(2);
    await edit({ name: 'Cache flush and warm-up' });
    expect(await event()).toEqual({ sequence: 2, end: '2026-12-03T03:30:00.000Z', summary: 'Cache flush and warm-up' });
    // Sending the same times again is no move.
    await edit({ scheduled_until: '2026-12-03T03:30:00.000Z' });
    expect((await event()).sequence).toBe(2);
  });

  it('raises SEQUENCE when maintenance is cancelled', async () => {
    const calendar = new ICAL.Component(ICAL.parse(await (await get('/maintenance.ics')).text()));
    const dropped = calendar
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v))
      .find((e) => e.uid === `${cancelled.id}@localhost`);
    expect(dropped?.sequence).toBe(1);
    expect(dropped?.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });
});
