import { Hono } from 'hono';
import type { Runtime } from '../../runtime.ts';
import { recentIncidents } from '../../services/public-incidents.ts';
import { readSettings } from '../../services/settings.ts';
import { setCacheTags } from '../../publishing/cache-tags.ts';
import { atomFeed } from '../../render/feeds/atom.ts';
import { feedEntry, type FeedLanguage } from '../../render/feeds/entries.ts';
import { maintenanceCalendar } from '../../render/feeds/ical.ts';
import { rssFeed } from '../../render/feeds/rss.ts';
import { publicBase } from '../../domain/public-link.ts';
import { pageLanguage } from '../../publishing/page-language.ts';

// A fixed size whatever the history holds: the newest entries, each with its newest updates.
const RECENT = 50;
const UPDATES_PER_ENTRY = 25;

/**
 * /feed.atom, /feed.rss and /maintenance.ics, and each offered language's (/de/feed.atom, told
 * its language by src/publishing/page-language.ts): the same entries, in the reader's words.
 */
export function feedRoutes(runtime: Runtime): Hono {
  const app = new Hono();

  async function source(request: Request) {
    const settings = await readSettings(runtime.db);
    const base = publicBase(settings.base_url, runtime.config.baseUrl.href);
    const { language, t, pathIn, offered } = pageLanguage(request, runtime.siteCache.renderSecret, settings);
    const words: FeedLanguage = { language, t, url: (path) => `${base}${pathIn(language, path)}` };
    return { settings, base, words, offered };
  }
  const respond = (body: string, type: string) => {
    const headers = new Headers({ 'content-type': `${type}; charset=utf-8` });
    setCacheTags(headers, ['feeds']);
    return new Response(body, { headers });
  };
  // A language the page does not offer has no feeds; the answer is kept until the settings change.
  const notFound = () => {
    const headers = new Headers({ 'content-type': 'text/plain; charset=utf-8' });
    setCacheTags(headers, ['feeds']);
    return new Response('Not found\n', { status: 404, headers });
  };
  const feed = async (request: Request, self: string) => {
    const { settings, words, offered } = await source(request);
    if (!offered) return null;
    const incidents = (await recentIncidents(runtime.ctx, { limit: RECENT, latestUpdates: UPDATES_PER_ENTRY })).filter(
      (i) => i.kind === 'incident' || i.status !== 'scheduled' || i.incident_updates.length > 0,
    );
    const entries = incidents
      .map((i) => feedEntry(i, settings.time_zone, words))
      .sort((a, b) => b.updated.localeCompare(a.updated));
    const updated = entries[0]?.updated ?? settings.updated_at;
    const page = settings.page_name;
    const info = {
      title: words.t('feed.title', { page }),
      description: words.t('feed.description', { page }),
      pageName: page,
      home: words.url('/'),
      self: words.url(self),
      updated,
      language: words.language.code,
    };
    return { info, entries };
  };

  app.get('/feed.atom', async (c) => {
    const found = await feed(c.req.raw, '/feed.atom');
    return found ? respond(atomFeed(found.info, found.entries), 'application/atom+xml') : notFound();
  });
  app.get('/feed.rss', async (c) => {
    const found = await feed(c.req.raw, '/feed.rss');
    return found ? respond(rssFeed(found.info, found.entries), 'application/rss+xml') : notFound();
  });
  app.get('/maintenance.ics', async (c) => {
    const { settings, base, words, offered } = await source(c.req.raw);
    if (!offered) return notFound();
    const maintenance = await recentIncidents(runtime.ctx, { kind: 'maintenance', limit: RECENT, latestUpdates: 1 });
    return respond(
      maintenanceCalendar({ pageName: settings.page_name, host: new URL(base).hostname, maintenance, words }),
      'text/calendar',
    );
  });
  return app;
}
