import { describe, expect, it } from 'vitest';
import { customCssProblem, MAX_CUSTOM_CSS_BYTES } from '../../../src/domain/custom-css.ts';

describe('what custom CSS may not do', () => {
  it('keeps ordinary rules, https images, paths on the site and fragments', () => {
    expect(customCssProblem('.site-header { background: #fff; }\n:root { --logo-height: 40px; }')).toBeNull();
    expect(customCssProblem('.banner { background: url(https://cdn.example.com/bg.png) center; }')).toBeNull();
    expect(customCssProblem('.banner { background: url(\'/favicon.svg\'), url("img/x.png"); }')).toBeNull();
    expect(customCssProblem('.x { filter: url(#shadow); content: "Note: read this"; }')).toBeNull();
    expect(
      customCssProblem('.x { background: image-set(url(https://a.example/1.png) 1x, "https://a.example/2.png" 2x); }'),
    ).toBeNull();
    expect(customCssProblem('@media (prefers-color-scheme: dark) { :root { --link: #9cf; } }')).toBeNull();
  });

  it('refuses anything that could end a <style> element, even in a comment or a string', () => {
    expect(customCssProblem('/* </style><script>alert(1)</script> */')).toMatch(/must not contain “<”/);
    expect(customCssProblem('.x::after { content: "<b>"; }')).toMatch(/write \\3c instead/);
    // The escape is only ever a character inside CSS, so it is kept.
    expect(customCssProblem('.x::after { content: "\\3c b>"; }')).toBeNull();
  });

  it('refuses @import, however it is spelt', () => {
    expect(customCssProblem('@import url(https://evil.example/x.css);')).toMatch(/must not use @import/);
    expect(customCssProblem('@IMPORT "/site.css";')).toMatch(/@import/);
    expect(customCssProblem('@\\69mport "https://evil.example/x.css";')).toMatch(/@import/);
    expect(customCssProblem('@\\000069 mport "x.css";')).toMatch(/@import/);
  });

  it('refuses url() and image strings that do not load over https', () => {
    for (const css of [
      '.a { background: url(http://tracker.example/p.gif); }',
      '.a { background: url( "data:image/svg+xml,abc" ); }',
      ".a { background: url('javascript:alert(1)'); }",
      '.a { background: u\\72l(http://x.example/p.gif); }',
      '.a { background: url(\\68ttp://x.example/p.gif); }',
      '.a { background: image-set("http://x.example/1.png" 1x); }',
      '.a { background: -webkit-image-set(url(https://ok.example/a.png) 1x, "http://x.example/2.png" 2x); }',
      '@font-face { font-family: X; src: src("ftp://x.example/f.woff2"); }',
    ]) {
      expect([css, customCssProblem(css)]).toEqual([css, expect.stringMatching(/may only load https addresses/)]);
    }
  });

  it('refuses more than 16 KB, counted in bytes', () => {
    expect(customCssProblem(`/*${'a'.repeat(MAX_CUSTOM_CSS_BYTES - 4)}*/`)).toBeNull();
    expect(customCssProblem(`/*${'a'.repeat(MAX_CUSTOM_CSS_BYTES - 3)}*/`)).toMatch(/at most 16 KB \(16384 bytes\)/);
    expect(customCssProblem(`/*${'é'.repeat(MAX_CUSTOM_CSS_BYTES / 2)}*/`)).toMatch(/it is 16388 bytes/);
  });
});
