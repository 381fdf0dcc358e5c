import { Hono } from 'hono';
import type { Runtime } from '../../runtime.ts';
import { recentIncidents } from '../../services/public-incidents.ts';
import { readSettings } from '../../services/settings.ts';
import { setCacheTags } from '../../publishing/cache-tags.ts';
import { atomFeed } from '../../render/feeds/atom.ts';
import { feedEntry } from '../../render/feeds/entries.ts';
import { maintenanceCalendar } from '../../render/feeds/ical.ts';
import { rssFeed } from '../../render/feeds/rss.ts';
import { publicBase } from '../../domain/public-link.ts';

// A fixed size whatever the history holds: the newest entries, each with its newest updates.
const RECENT = 50;
const UPDATES_PER_ENTRY = 25;

/** /feed.atom, /feed.rss and /maintenance.ics. */
export function feedRoutes(runtime: Runtime): Hono {
  const app = new Hono();

  async function source() {
    const settings = await readSettings(runtime.db);
    const base = publicBase(settings.base_url, runtime.config.baseUrl.href);
    return { settings, base };
  }
  const respond = (body: string, type: string) => {
    const headers = new Headers({ 'content-type': `${type}; charset=utf-8` });
    setCacheTags(headers, ['feeds']);
    return new Response(body, { headers });
  };
  const feed = async () => {
    const { settings, base } = await source();
    const incidents = (await recentIncidents(runtime.ctx, { limit: RECENT, latestUpdates: UPDATES_PER_ENTRY })).filter(
      (i) => i.kind === 'incident' || i.status !== 'scheduled' || i.incident_updates.length > 0,
    );
    const entries = incidents
      .map((i) => feedEntry(i, base, settings.time_zone))
      .sort((a, b) => b.updated.localeCompare(a.updated));
    const updated = entries[0]?.updated ?? settings.updated_at;
    return { info: { title: `${settings.page_name} status`, pageName: settings.page_name, base, updated }, entries };
  };

  app.get('/feed.atom', async () => {
    const { info, entries } = await feed();
    return respond(atomFeed(info, entries), 'application/atom+xml');
  });
  app.get('/feed.rss', async () => {
    const { info, entries } = await feed();
    return respond(rssFeed(info, entries), 'application/rss+xml');
  });
  app.get('/maintenance.ics', async () => {
    const { settings, base } = await source();
    const maintenance = await recentIncidents(runtime.ctx, { kind: 'maintenance', limit: RECENT, latestUpdates: 1 });
    return respond(
      maintenanceCalendar({ pageName: settings.page_name, base, host: new URL(base).hostname, maintenance }),
      'text/calendar',
    );
  });
  return app;
}
