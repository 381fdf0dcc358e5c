import { describe, expect, it } from 'vitest';
import { localPath, negotiate, splitLanguage } from '../../../src/i18n/language-path.ts';
import { LANGUAGES, languageList, languageOf } from '../../../src/i18n/languages.ts';
import { LANGUAGE_HEADER, pageLanguage } from '../../../src/publishing/page-language.ts';
import { matchPublicRoute } from '../../../src/publishing/public-routes.ts';
import { languagePolicyOf, languageRedirect, varyHeaders } from '../../../src/publishing/language-redirect.ts';

const de = languageOf('de');
const en = languageOf('en');

describe('languages at path prefixes', () => {
  it('splits a known language prefix off a path, in any letter case, and leaves other paths alone', () => {
    expect(splitLanguage('/de/incidents/abc')).toEqual({ language: de, path: '/incidents/abc' });
    expect(splitLanguage('/pt-br/history').language?.code).toBe('pt-BR');
    expect(splitLanguage('/de')).toEqual({ language: de, path: '/' });
    expect(splitLanguage('/api/v2/summary.json')).toEqual({ language: null, path: '/api/v2/summary.json' });
    expect(splitLanguage('/history')).toEqual({ language: null, path: '/history' });
    expect(splitLanguage('/xx/history')).toEqual({ language: null, path: '/xx/history' });
  });

  it('gives each language its own cache key for pages, and no translated copy of stylesheets or JSON', () => {
    expect(matchPublicRoute('/de/')).toEqual({ kind: 'cached', key: '/de/', notFoundKey: '/de/404' });
    expect(matchPublicRoute('/de')).toEqual({ kind: 'cached', key: '/de/', notFoundKey: '/de/404' });
    expect(matchPublicRoute('/ja/incidents/abc123')).toEqual({
      kind: 'cached',
      key: '/ja/incidents/abc123',
      incidentCode: 'abc123',
      notFoundKey: '/ja/404',
    });
    expect(matchPublicRoute('/ar/feed.atom')).toMatchObject({ kind: 'cached', key: '/ar/feed.atom' });
    expect(matchPublicRoute('/de/404')).toEqual({ kind: 'cached', key: '/de/404' });
    // Not a page in any language: that language's 404, and nothing an export would crawl.
    expect(matchPublicRoute('/de/site.css')).toEqual({ kind: 'not-found', notFoundKey: '/de/404' });
    expect(matchPublicRoute('/de/api/v2/summary.json')).toEqual({ kind: 'not-found', notFoundKey: '/de/404' });
    expect(matchPublicRoute('/de/admin')).toEqual({ kind: 'not-found' });
    expect(matchPublicRoute('/de/nothing-here')).toEqual({ kind: 'not-found', notFoundKey: '/de/404' });
    expect(matchPublicRoute('/de/../../../history')).toEqual({ kind: 'not-found', notFoundKey: '/de/404' });
    expect(matchPublicRoute('/de/subscribe')).toEqual({ kind: 'dynamic' });
    // Unprefixed paths are as they were.
    expect(matchPublicRoute('/')).toEqual({ kind: 'cached', key: '/' });
    expect(matchPublicRoute('/admin/incidents')).toEqual({ kind: 'dynamic' });
  });

  it('writes a path in a language: the default has no prefix', () => {
    const page = { defaultLanguage: en!, offered: languageList('en,de,ja') };
    expect(localPath('/', de!, page)).toBe('/de/');
    expect(localPath('/incidents/abc', de!, page)).toBe('/de/incidents/abc');
    expect(localPath('/incidents/abc', en!, page)).toBe('/incidents/abc');
    expect(localPath('/history', en!, { ...page, defaultLanguage: de! })).toBe('/en/history');
  });

  it('picks the best offered language for an Accept-Language header', () => {
    const offered = languageList('en,de,pt-BR,ja');
    expect(negotiate('de-CH,de;q=0.9,en;q=0.8', offered)?.code).toBe('de');
    expect(negotiate('fr-FR,fr;q=0.9,ja;q=0.5', offered)?.code).toBe('ja');
    expect(negotiate('pt-PT', offered)?.code).toBe('pt-BR');
    expect(negotiate('en;q=0, de;q=0.1', offered)?.code).toBe('de');
    expect(negotiate('fr', offered)).toBeNull();
    expect(negotiate(null, offered)).toBeNull();
  });

  it("believes a page's language header only with the render secret, so no visitor can recolour a cached page", () => {
    const settings = { default_language: 'en', languages: 'en,de,ja' };
    const asked = (value: string) => new Request('http://localhost/', { headers: { [LANGUAGE_HEADER]: value } });
    expect(pageLanguage(asked('de secret'), 'secret', settings)).toMatchObject({ offered: true });
    expect(pageLanguage(asked('de secret'), 'secret', settings).language.code).toBe('de');
    expect(pageLanguage(asked('de forged'), 'secret', settings).language.code).toBe('en');
    expect(pageLanguage(asked('de'), 'secret', settings).language.code).toBe('en');
    // A language Herald knows but this page does not offer, and the default under a prefix: 404.
    expect(pageLanguage(asked('fr secret'), 'secret', settings).offered).toBe(false);
    expect(pageLanguage(asked('en secret'), 'secret', settings).offered).toBe(false);
    expect(pageLanguage(asked('ja secret'), 'secret', settings).t('indicator.none')).toBe(
      'すべてのシステムが正常に稼働しています',
    );
  });

  it('knows seven languages, Arabic right to left', () => {
    expect(LANGUAGES.map((l) => `${l.code}:${l.dir}`)).toEqual([
      'en:ltr',
      'de:ltr',
      'fr:ltr',
      'es:ltr',
      'pt-BR:ltr',
      'ja:ltr',
      'ar:rtl',
    ]);
  });
});

describe('the Accept-Language redirect of /', () => {
  const on = languagePolicyOf({ language_redirect: 1, default_language: 'en', languages: 'en,de,ja' });
  const off = languagePolicyOf({ language_redirect: 0, default_language: 'en', languages: 'en,de,ja' });

  it('sends / to the reader’s offered language only when the owner turned it on, with Vary', () => {
    expect(languageRedirect(on, '/', 'de-AT,de;q=0.9')).toBe('/de/');
    expect(languageRedirect(on, '/', 'en-US,de;q=0.5')).toBeNull();
    expect(languageRedirect(on, '/', 'fr')).toBeNull();
    expect(languageRedirect(on, '/history', 'de')).toBeNull();
    expect(languageRedirect(off, '/', 'de')).toBeNull();
    expect(varyHeaders(on, '/')).toEqual({ vary: 'Accept-Encoding, Accept-Language' });
    expect(varyHeaders(off, '/')).toEqual({});
    // One language offered: nothing to choose between.
    expect(languagePolicyOf({ language_redirect: 1, default_language: 'en', languages: 'en' }).redirect).toBe(false);
  });
});
