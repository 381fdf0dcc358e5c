import { describe, expect, it } from 'vitest';
import { exportFileFor } from '../../../src/publishing/export-paths.ts';
import { defaultPageLanguage, pageLanguage } from '../../../src/publishing/page-language.ts';
import { ALWAYS_HOT, hotPaths } from '../../../src/publishing/public-routes.ts';
import { settingsPatch } from '../../../src/services/schemas.ts';

describe('the pages of the offered languages', () => {
  it("keeps every offered language's home page hot, the default one at /", () => {
    expect(hotPaths({ default_language: 'en', languages: 'en' })).toEqual(ALWAYS_HOT);
    expect(hotPaths({ default_language: 'en', languages: 'ar,en,pt-BR' })).toEqual([...ALWAYS_HOT, '/pt-br/', '/ar/']);
    expect(hotPaths({ default_language: 'de', languages: 'de,en' })).toEqual([...ALWAYS_HOT, '/en/']);
  });

  it("writes a language's home page as its folder's index.html in the static export", () => {
    expect(exportFileFor('/')).toBe('index.html');
    expect(exportFileFor('/de/')).toBe('de/index.html');
    expect(exportFileFor('/pt-br/incidents/abc')).toBe('pt-br/incidents/abc.html');
    expect(exportFileFor('/ja/feed.atom')).toBe('ja/feed.atom');
  });

  it('takes the default and offered languages in the settings, in any letter case, stored in Herald’s order', () => {
    expect(settingsPatch.parse({ default_language: 'pt-br', languages: ['ar', 'EN', 'ja', 'ar'] })).toEqual({
      default_language: 'pt-BR',
      languages: 'en,ja,ar',
    });
    expect(settingsPatch.safeParse({ default_language: 'xx' }).success).toBe(false);
    expect(settingsPatch.safeParse({ languages: [] }).success).toBe(false);
    expect(settingsPatch.safeParse({ languages: ['en', 'klingon'] }).success).toBe(false);
  });

  it('renders a prefix of a language not offered as the default language, for its 404', () => {
    const settings = { default_language: 'en', languages: 'en,de' };
    const secret = 'render-secret';
    const french = pageLanguage(
      new Request('http://x/', { headers: { 'x-herald-language': `fr ${secret}` } }),
      secret,
      settings,
    );
    expect(french.offered).toBe(false);
    expect(defaultPageLanguage(settings).language.code).toBe('en');
    expect(defaultPageLanguage(settings).t('notFound.title')).toBe('Page not found');
  });
});
