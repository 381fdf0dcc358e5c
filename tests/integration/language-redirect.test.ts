import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';

describe('the Accept-Language redirect of / on the real server (front server and app alike)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-redirect-'));
  let server: ServerProcess;
  let api: ReturnType<typeof adminApi>;

  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db') });
    api = adminApi(server, await ownerToken(server));
    await api('PATCH', '/settings', { languages: ['en', 'de', 'ja'], default_language: 'en' });
  });
  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, acceptLanguage: string) =>
    fetch(`${server.url}${path}`, { redirect: 'manual', headers: { 'accept-language': acceptLanguage } });

  it('never redirects while the owner has not turned it on', async () => {
    const home = await get('/', 'de-DE,de;q=0.9');
    expect(home.status).toBe(200);
    expect(await home.text()).toMatch(/<html lang="en"/);
    expect(home.headers.get('vary') ?? '').not.toMatch(/accept-language/i);
  });

  it('sends / to the offered language a browser prefers, cached or not, and says it varies', async () => {
    await api('PATCH', '/settings', { language_redirect: true });
    // Twice: the first may be answered by the app, the second by the front server's cache path.
    for (let i = 0; i < 2; i++) {
      const german = await get('/', 'de-AT,de;q=0.9,en;q=0.5');
      expect(german.status).toBe(302);
      expect(german.headers.get('location')).toBe('/de/');
      expect(german.headers.get('vary')).toMatch(/Accept-Language/);
      const english = await get('/', 'en-GB,en;q=0.9');
      expect(english.status).toBe(200);
      expect(english.headers.get('vary')).toMatch(/Accept-Language/);
      expect(await english.text()).toMatch(/<html lang="en"/);
      // A language the page does not offer stays on the default.
      expect((await get('/', 'fr-FR')).status).toBe(200);
    }
    // A reader who picks the default language in the switcher stays on it.
    const home = await (await get('/', 'en')).text();
    expect(home).toContain('href="/?lang=en"');
    expect((await get('/?lang=en', 'de-AT,de;q=0.9')).status).toBe(200);
    // Only /: every other address names its language already.
    expect((await get('/history', 'de')).status).toBe(200);
    const followed = await fetch(`${server.url}/`, { headers: { 'accept-language': 'ja' } });
    expect(followed.url).toBe(`${server.url}/ja/`);
    expect(await followed.text()).toMatch(/<html lang="ja"/);
    await api('PATCH', '/settings', { language_redirect: false });
    expect((await get('/', 'de')).status).toBe(200);
  });
});
