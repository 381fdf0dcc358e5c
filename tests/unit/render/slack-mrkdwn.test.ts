import { describe, expect, it } from 'vitest';
import { slackMrkdwn } from '../../../src/render/slack-mrkdwn.ts';
import { mrkdwnProblems } from '../../helpers/block-kit-limits.ts';

const BASE = 'https://status.example.com';

describe('update markdown as Slack mrkdwn', () => {
  it('writes bold, emphasis, strike-through and code the Slack way', () => {
    expect(slackMrkdwn('**Bold** and *em* and _em_ and ~~gone~~ and `x < y`')).toBe(
      '*Bold* and _em_ and _em_ and ~gone~ and `x &lt; y`',
    );
  });

  it('escapes &, < and > in text, so nothing typed can become a link or a mention', () => {
    const out = slackMrkdwn('Fish & chips <!channel> <https://evil.example|click> a > b');
    // <https://evil.example|click> is an autolink to a host no URL parser accepts: kept as text.
    expect(out).toBe('Fish &amp; chips &lt;!channel&gt; https://evil.example|click a &gt; b');
    expect(mrkdwnProblems(out)).toEqual([]);
  });

  it('turns links into <url|text>, keeping | in the text and escaping > in it', () => {
    const out = slackMrkdwn('[a | b > c](https://example.com/x?q=1&r=2)');
    expect(out).toBe('<https://example.com/x?q=1&amp;r=2|a | b &gt; c>');
    expect(mrkdwnProblems(out)).toEqual([]);
  });

  it('percent-encodes | and > in a URL, which would end the link early', () => {
    const out = slackMrkdwn('<https://example.com/a|b>');
    expect(out).toBe('<https://example.com/a%7Cb|https://example.com/a|b>');
    expect(mrkdwnProblems(out)).toEqual([]);
  });

  it('links bare URLs and mail addresses', () => {
    expect(slackMrkdwn('See https://example.com/status now')).toBe(
      'See <https://example.com/status|https://example.com/status> now',
    );
    expect(slackMrkdwn('Mail ops@example.com')).toBe('Mail <mailto:ops@example.com|ops@example.com>');
  });

  it('resolves links relative to the page, and keeps only the text of links a chat cannot follow', () => {
    expect(slackMrkdwn('[history](/history)', BASE)).toBe(`<${BASE}/history|history>`);
    expect(slackMrkdwn('[history](/history)')).toBe('history');
    expect(slackMrkdwn('[x](javascript:alert(1))')).toBe('[x](javascript:alert(1))');
    expect(slackMrkdwn('[ftp](ftp://example.com/f)')).toBe('ftp');
  });

  it('keeps a link text plain and uses the address when the text is empty', () => {
    expect(slackMrkdwn('[**bold** `code`](https://example.com)')).toBe('<https://example.com/|bold code>');
    expect(slackMrkdwn('[](https://example.com)')).toBe('<https://example.com/|https://example.com/>');
  });

  it('shows images as links to them', () => {
    expect(slackMrkdwn('![graph](https://example.com/g.png)')).toBe('<https://example.com/g.png|graph>');
  });

  it('turns headings into bold lines and keeps paragraphs apart', () => {
    expect(slackMrkdwn('# Cause *now*\n\nFirst.\nSecond line.')).toBe('*Cause now*\n\nFirst.\nSecond line.');
  });

  it('writes lists with bullets, numbers and indented nesting', () => {
    expect(slackMrkdwn('- one\n- two\n  1. a\n  2. b\n\n3. three\n4. four')).toBe(
      '• one\n• two\n    1. a\n    2. b\n\n3. three\n4. four',
    );
  });

  it('quotes, fences code and flattens tables', () => {
    expect(slackMrkdwn('> said <this>')).toBe('> said &lt;this&gt;');
    expect(slackMrkdwn('```\nif (a < b && c) {}\n```')).toBe('```\nif (a &lt; b &amp;&amp; c) {}\n```');
    expect(slackMrkdwn('| a | b |\n|---|---|\n| 1 | 2 |')).toBe('a | b\n1 | 2');
  });

  it('shows code holding a backtick as plain text, since Slack cannot escape it', () => {
    expect(slackMrkdwn('``a ` b``')).toBe('a ` b');
  });

  it('leaves raw HTML as escaped text', () => {
    const out = slackMrkdwn('<b>bold</b> <script>x</script>');
    expect(out).toBe('&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;x&lt;/script&gt;');
    expect(mrkdwnProblems(out)).toEqual([]);
  });
});
