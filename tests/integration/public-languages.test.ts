import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { exportSite } from '../../src/cli/export.ts';
import { en } from '../../src/i18n/catalogues/en.ts';
import { prefixOf } from '../../src/i18n/language-path.ts';
import { type Language, LANGUAGES } from '../../src/i18n/languages.ts';
import { translator } from '../../src/i18n/translate.ts';
import { adminApi, ownerToken, seedAcmePage } from '../helpers/seed-server.ts';

type Element = ReturnType<IntlMessageFormat['getAst']>[number];

// The page's own words, which are never translated: they are taken out before looking for English.
const OWN_WORDS = [
  'Acme Cloud',
  'Elevated API errors',
  'We are investigating errors on the API.',
  'A bad deploy; rolling back.',
  'Database upgrade',
  'Read-only for a few minutes.',
  'Public REST API',
  'Dashboard',
  'Webhooks',
  'Core',
  'API',
];

/** The literal words of a message, outside its arguments, plural and select forms included. */
function literals(elements: Element[], out: string[] = []): string[] {
  for (const element of elements) {
    if (element.type === 0) out.push(element.value);
    if ((element.type === 5 || element.type === 6) && 'options' in element)
      for (const option of Object.values(element.options)) literals(option.value, out);
  }
  return out;
}

/**
 * English words that must not show on a page in `language`: every stretch of an English message
 * long enough to mean something, unless the language writes the same in a message it did
 * translate (German "Status von {page}", French "Incident : {name}"). A message copied from
 * English unchanged vouches for nothing, so an untranslated message is caught.
 */
function englishLeftovers(language: Language): string[] {
  const own = Object.entries(language.catalogue)
    .filter(([key, message]) => message !== en[key as keyof typeof en])
    .map(([, message]) => message)
    .join('\n');
  const fragments = Object.values(en).flatMap((message) =>
    literals(new IntlMessageFormat(message, 'en').getAst()).flatMap((text) =>
      text.split(/[:;()“”,.?]|\s[–·]\s/).map((part) => part.trim()),
    ),
  );
  return [...new Set(fragments)].filter((f) => f.length >= 4 && /[a-z]/i.test(f) && !own.includes(f));
}

/** What a reader sees or hears of a page: its text, title, and the labels screen readers read. */
function readable(html: string): string {
  const labels = [...html.matchAll(/\s(?:aria-label|alt|placeholder)="([^"]*)"/g)].map((m) => m[1]);
  const text = html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, ' ')
    // Each element's text stands alone: words of neighbouring elements do not make a phrase.
    .replace(/<[^>]+>/g, '\n')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&quot;/g, '"');
  let all = `${text}\n${labels.join('\n')}`.replace(/[^\S\n]+/g, ' ');
  for (const words of OWN_WORDS) all = all.split(words).join(' ');
  return all;
}

const pathIn = (language: Language, path: string) =>
  language.code === 'en' ? path : path === '/' ? `${prefixOf(language)}/` : `${prefixOf(language)}${path}`;

describe('the public pages in seven languages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-languages-'));
  let server: ServerProcess;
  let api: ReturnType<typeof adminApi>;
  let code = '';
  let incidentId = '';
  let maintenanceCode = '';
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'identity', ...headers } });

  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
    api = adminApi(server, await ownerToken(server));
    const { incident } = await seedAcmePage(api, {
      settings: { time_zone: 'Europe/Paris' },
      update: 'A bad deploy; rolling back.',
    });
    code = incident.code;
    incidentId = incident.id;
    const start = new Date(Date.now() + 3 * 86_400_000);
    const maintenance = await api<{ code: string }>('POST', '/maintenance', {
      name: 'Database upgrade',
      body: 'Read-only for a few minutes.',
      components: [],
      scheduled_for: start.toISOString(),
      scheduled_until: new Date(start.getTime() + 3_600_000).toISOString(),
      notify: false,
    });
    maintenanceCode = maintenance.code;
    await api('PATCH', '/settings', { languages: LANGUAGES.map((l) => l.code), default_language: 'en' });
  });
  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const pages = () => [
    { path: '/', status: 200, alternates: true },
    { path: '/history', status: 200, alternates: true },
    { path: `/incidents/${code}`, status: 200, alternates: true },
    { path: `/incidents/${maintenanceCode}`, status: 200, alternates: true },
    { path: '/subscribe', status: 200, alternates: true },
    { path: `/subscribe?incident=${code}`, status: 200, alternates: true },
    { path: '/subscribe?channel=webhook', status: 200, alternates: true },
    { path: '/no-such-page', status: 404, alternates: false },
    { path: '/subscriptions/no-such-token', status: 404, alternates: true },
    { path: '/subscriptions/no-such-token/unsubscribe', status: 404, alternates: true },
    { path: '/subscriptions/confirm/no-such-token', status: 404, alternates: true },
    { path: '/widget', status: 200, alternates: false },
  ];

  for (const language of LANGUAGES) {
    it(`renders every public page in ${language.name}: lang and dir, alternates, no raw key, no English chrome`, async () => {
      const leftovers = language.code === 'en' ? [] : englishLeftovers(language);
      for (const page of pages()) {
        const path = pathIn(language, page.path);
        const response = await get(path);
        expect(response.status, path).toBe(page.status);
        const html = await response.text();
        expect(html, path).toContain(`<html lang="${language.code}" dir="${language.dir}">`);
        if (page.alternates) {
          for (const other of LANGUAGES)
            expect(html, `${path} → ${other.code}`).toMatch(
              new RegExp(
                `<link rel="alternate" hreflang="${other.code}" href="[^"]*${pathIn(other, page.path.split('?')[0] ?? '/').replace(/[/?]/g, '\\$&')}"`,
              ),
            );
          expect(html, path).toMatch(/<link rel="alternate" hreflang="x-default" href="[^"]*"/);
        }
        for (const key of Object.keys(en)) expect(html, `${path} shows the key ${key}`).not.toContain(key);
        const text = readable(html);
        const english = leftovers.filter((words) => text.includes(words));
        expect(english, `English left on ${path}`).toEqual([]);
      }
    });

    it(`keeps the links of a ${language.name} page in ${language.name}, and switches language by plain links`, async () => {
      const html = await (await get(pathIn(language, `/incidents/${code}`))).text();
      const hrefs = [...html.matchAll(/<a [^>]*href="(\/[^"]*)"/g)].map((m) => m[1] ?? '');
      // Only the switcher leaves the page's language; the JSON documents have one language.
      const switcher = new Set(LANGUAGES.map((other) => pathIn(other, `/incidents/${code}`)));
      const elsewhere = hrefs.filter(
        (h) =>
          !switcher.has(h) &&
          !h.startsWith('/api/v2/') &&
          pathIn(language, '/') !== '/' &&
          !h.startsWith(pathIn(language, '/')),
      );
      expect(elsewhere).toEqual([]);
      expect(hrefs).toContain(pathIn(language, '/'));
      expect(hrefs).toContain(pathIn(language, '/history'));
      expect(hrefs).toContain(pathIn(language, '/feed.atom'));
      expect(hrefs).toContain(`${pathIn(language, '/subscribe')}?incident=${code}`);
      for (const other of switcher) expect(hrefs).toContain(other);
      expect(html).not.toMatch(/<script/);
    });

    it(`titles the feeds, the calendar and the badge in ${language.name}`, async () => {
      const t = translator(language);
      const page = 'Acme Cloud';
      const atom = await (await get(pathIn(language, '/feed.atom'))).text();
      expect(atom).toContain(`xml:lang="${language.code}"`);
      expect(atom).toContain(`<title>${t('feed.title', { page })}</title>`);
      expect(atom).toContain(`${pathIn(language, `/incidents/${code}`)}"/>`);
      const rss = await (await get(pathIn(language, '/feed.rss'))).text();
      expect(rss).toContain(`<language>${language.code}</language>`);
      expect(rss).toContain(`<title>${t('feed.title', { page })}</title>`);
      expect(rss).toContain(`<description>${t('feed.description', { page })}</description>`);
      const calendar = (await (await get(pathIn(language, '/maintenance.ics'))).text()).replace(/\r\n /g, '');
      expect(calendar).toContain(`X-WR-CALNAME:${t('feed.calendar', { page })}`);
      expect(calendar).toContain(`URL:${server.url}${pathIn(language, `/incidents/${maintenanceCode}`)}`);
      const badge = await (await get(pathIn(language, '/badge.svg'))).text();
      expect(badge).toContain(`xml:lang="${language.code}"`);
      expect(badge).toContain(`<title>${page}: ${t('indicator.major')}</title>`);
    });
  }

  it('keeps / in the default language whatever Accept-Language or language header a visitor sends', async () => {
    const visitors: Array<Record<string, string>> = [
      { 'accept-language': 'de-DE,de;q=0.9' },
      { 'x-herald-language': 'ar' },
      { 'x-herald-language': 'ja not-the-secret', 'accept-language': 'ja' },
    ];
    for (const headers of visitors) {
      // The subscribe page renders per visit, with the visitor's own headers: they are not believed either.
      for (const path of ['/', '/history', `/incidents/${code}`, '/subscribe']) {
        const html = await (await get(path, headers)).text();
        expect(html, `${path} ${JSON.stringify(headers)}`).toContain('<html lang="en" dir="ltr">');
      }
      expect(await (await get('/', headers)).text()).toContain('Partial System Outage');
    }
  });

  it('shows a new update at once in every language: each variant carries the same cache tags', async () => {
    await api('POST', `/incidents/${incidentId}/updates`, {
      status: 'monitoring',
      body: 'Fix deployed everywhere.',
      notify: false,
    });
    for (const language of LANGUAGES) {
      const t = translator(language);
      for (const path of ['/', `/incidents/${code}`, '/history']) {
        const html = await (await get(pathIn(language, path))).text();
        expect(html, pathIn(language, path)).toContain('Fix deployed everywhere.');
        expect(html, pathIn(language, path)).toContain(t('status.monitoring'));
      }
    }
  });

  it('exports every offered language: the switcher leads the crawl to each one, permalinks included', async () => {
    const out = mkdtempSync(join(tmpdir(), 'herald-languages-export-'));
    try {
      const written = await exportSite(out, server.url);
      for (const language of LANGUAGES) {
        for (const path of ['/', '/history', `/incidents/${code}`, '/feed.atom', '/maintenance.ics'])
          expect(written, pathIn(language, path)).toContain(pathIn(language, path));
      }
      expect(existsSync(join(out, 'de/index.html'))).toBe(true);
      expect(existsSync(join(out, `ja/incidents/${code}.html`))).toBe(true);
      expect(existsSync(join(out, 'pt-br/history.html'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('answers 404 for a language the page stopped offering, and the default language has no prefix', async () => {
    await api('PATCH', '/settings', { languages: ['en', 'de'] });
    for (const path of ['/fr/', '/fr/history', `/fr/incidents/${code}`, '/fr/widget', '/fr/subscribe', '/en/'])
      expect((await get(path)).status, path).toBe(404);
    for (const path of ['/fr/feed.atom', '/fr/badge.svg']) expect((await get(path)).status, path).toBe(404);
    const german = await get('/de/');
    expect(german.status).toBe(200);
    const html = await german.text();
    expect(html).toContain('<html lang="de" dir="ltr">');
    expect(html).not.toContain('hreflang="fr"');
    // The default language is always offered, even when a patch leaves it out.
    const settings = await api<{ languages: string; default_language: string }>('PATCH', '/settings', {
      default_language: 'de',
      languages: ['ja'],
    });
    expect(settings).toMatchObject({ default_language: 'de', languages: 'de,ja' });
    expect(await (await get('/')).text()).toContain('<html lang="de" dir="ltr">');
    expect((await get('/en/')).status).toBe(404);
    expect(await (await get('/ja/')).text()).toContain('<html lang="ja" dir="ltr">');
  });
});
