import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/render/markdown.ts';

describe('rendering update markdown', () => {
  it('renders emphasis, lists and links', () => {
    const html = renderMarkdown('**Fixed**\n\n- one\n- [status](https://example.com)');
    expect(html).toContain('<strong>Fixed</strong>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('rel="nofollow noopener noreferrer"');
  });

  it('escapes raw HTML instead of running it', () => {
    const html = renderMarkdown('<script>alert(1)</script><img src=x onerror=alert(1)>');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('refuses javascript: links', () => {
    expect(renderMarkdown('[click](javascript:alert(1))')).not.toContain('href="javascript:');
  });

  it('aligns table columns without inline styles, which the Content-Security-Policy would refuse', () => {
    const html = renderMarkdown('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |');
    expect(html).toContain('<th align="left">a</th>');
    expect(html).toContain('<td align="center">2</td>');
    expect(html).toContain('<td align="right">3</td>');
    expect(html).not.toContain('style=');
  });
});
