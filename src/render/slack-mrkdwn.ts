import MarkdownIt, { type Token } from 'markdown-it';

// The page's reading of an update (src/render/markdown.ts): raw HTML stays text, bare URLs become
// links, single newlines are line breaks. markdown-it's validateLink refuses javascript:/data:.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });

/**
 * How one chat's lightweight markup writes what the page's markdown can say. Slack mrkdwn and the
 * Adaptive Card subset both lack headings, tables and nesting, so one walk serves both.
 */
export type MarkupDialect = {
  /** Literal text, escaped as the chat asks. */
  text(s: string): string;
  /** Delimiters around strong, emphasis and strike-through text; '' drops the style. */
  strong: string;
  em: string;
  strike: string;
  code(s: string): string;
  /** `url` is absolute, http(s) or mailto, and the text plain (not yet escaped). */
  link(url: string, text: string): string;
  heading(inline: string): string;
  quote(block: string): string;
  codeBlock(content: string): string;
  rule: string;
  bullet: string;
};

/** An absolute http(s) or mailto address, or null: a chat cannot follow a path relative to the page. */
export function absoluteUrl(href: string | null, base?: string): string | null {
  if (!href) return null;
  try {
    const url = new URL(href, base ? `${base}/` : undefined);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

const plainOf = (tokens: readonly Token[]) =>
  tokens
    .map((t) => (t.type === 'softbreak' || t.type === 'hardbreak' ? ' ' : t.type.endsWith('_open') ? '' : t.content))
    .join('');

function inline(tokens: readonly Token[], dialect: MarkupDialect, base: string | undefined, styled = true): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    switch (t.type) {
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'strong_open':
      case 'strong_close':
        out += styled ? dialect.strong : '';
        break;
      case 'em_open':
      case 'em_close':
        out += styled ? dialect.em : '';
        break;
      case 's_open':
      case 's_close':
        out += styled ? dialect.strike : '';
        break;
      case 'code_inline':
        out += dialect.code(t.content);
        break;
      case 'link_open': {
        // A link's text is kept plain: neither chat styles text inside a link reliably.
        let close = i + 1;
        while (close < tokens.length && tokens[close]?.type !== 'link_close') close++;
        const text = plainOf(tokens.slice(i + 1, close))
          .replace(/\s+/g, ' ')
          .trim();
        out += linkOrText(t.attrGet('href'), text, dialect, base);
        i = close;
        break;
      }
      case 'image':
        out += linkOrText(t.attrGet('src'), t.content || 'image', dialect, base);
        break;
      default:
        out += dialect.text(t.content);
    }
  }
  return out;
}

function linkOrText(
  href: string | number | null,
  text: string,
  dialect: MarkupDialect,
  base: string | undefined,
): string {
  const url = typeof href === 'string' ? absoluteUrl(href, base) : null;
  if (!url) return dialect.text(text);
  return dialect.link(url, text || url.replace(/^mailto:/, ''));
}

/** The index of the token closing the one opened at `open`. */
function closing(tokens: readonly Token[], open: number): number {
  const level = tokens[open]?.level;
  let i = open + 1;
  while (i < tokens.length && !(tokens[i]?.nesting === -1 && tokens[i]?.level === level)) i++;
  return i;
}

// Continuation lines and nested lists four spaces in: chats show two spaces as barely any.
const indent = (block: string, first: string) => {
  const pad = ' '.repeat(Math.max(4, first.length));
  return block
    .split('\n')
    .map((line, n) => (n === 0 ? first + line : line ? pad + line : line))
    .join('\n');
};

function blocks(tokens: readonly Token[], dialect: MarkupDialect, base: string | undefined): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    const children = tokens[i + 1]?.children ?? [];
    switch (t.type) {
      case 'paragraph_open':
        out.push(inline(children, dialect, base));
        i = closing(tokens, i);
        break;
      case 'heading_open':
        out.push(dialect.heading(inline(children, dialect, base, false)));
        i = closing(tokens, i);
        break;
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const end = closing(tokens, i);
        out.push(list(tokens.slice(i, end + 1), dialect, base));
        i = end;
        break;
      }
      case 'blockquote_open': {
        const end = closing(tokens, i);
        out.push(dialect.quote(blocks(tokens.slice(i + 1, end), dialect, base).join('\n\n')));
        i = end;
        break;
      }
      case 'table_open': {
        const end = closing(tokens, i);
        out.push(table(tokens.slice(i + 1, end), dialect, base));
        i = end;
        break;
      }
      case 'fence':
      case 'code_block':
        out.push(dialect.codeBlock(t.content.replace(/\n$/, '')));
        break;
      case 'hr':
        out.push(dialect.rule);
        break;
      case 'inline':
        out.push(inline(t.children ?? [], dialect, base));
        break;
    }
  }
  return out.filter((b) => b.trim() !== '');
}

/** Items one a line, their markers ("•", "3.") in front and their continuation lines indented. */
function list(tokens: readonly Token[], dialect: MarkupDialect, base: string | undefined): string {
  const open = tokens[0];
  let number = Number(open?.attrGet('start') ?? 1);
  const items: string[] = [];
  for (let i = 1; i < tokens.length - 1; i++) {
    if (tokens[i]?.type !== 'list_item_open') continue;
    const end = closing(tokens, i);
    const marker = open?.type === 'ordered_list_open' ? `${number++}. ` : `${dialect.bullet} `;
    items.push(indent(blocks(tokens.slice(i + 1, end), dialect, base).join('\n'), marker));
    i = end;
  }
  return items.join('\n');
}

/** A row a line, cells apart by " | ": neither chat has tables. */
function table(tokens: readonly Token[], dialect: MarkupDialect, base: string | undefined): string {
  const rows: string[][] = [];
  for (const t of tokens) {
    if (t.type === 'tr_open') rows.push([]);
    if (t.type === 'inline') rows.at(-1)?.push(inline(t.children ?? [], dialect, base));
  }
  return rows.map((cells) => cells.join(' | ')).join('\n');
}

/** The page's markdown in a chat's markup; relative links are resolved against `base`, if given. */
export function convertMarkdown(markdown: string, dialect: MarkupDialect, base?: string): string {
  return blocks(md.parse(markdown, {}), dialect, base).join('\n\n');
}

/** Slack's control characters: text that keeps them would start a link or a mention. */
export const escapeSlack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// A URL inside <…|…> ends at the first | or >, so those are percent-encoded; & is escaped.
const slackUrl = (url: string) =>
  escapeSlack(url.replace(/[|<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));

/** `<url|text>`: only the first | splits, so a | in the text is kept; > would end the link. */
export const slackLink = (url: string, text: string) =>
  `<${slackUrl(url)}|${escapeSlack(text.replace(/\s+/g, ' ').trim() || url)}>`;

export const SLACK_DIALECT: MarkupDialect = {
  text: escapeSlack,
  strong: '*',
  em: '_',
  strike: '~',
  // Slack has no way to escape a backtick inside code: such code is shown as plain text.
  code: (s) => (s.includes('`') || !s.trim() ? escapeSlack(s) : `\`${escapeSlack(s)}\``),
  link: slackLink,
  heading: (s) => (s.trim() ? `*${s.trim()}*` : ''),
  quote: (block) =>
    block
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n'),
  codeBlock: (s) => (s.includes('```') ? escapeSlack(s) : `\`\`\`\n${escapeSlack(s)}\n\`\`\``),
  rule: '———',
  bullet: '•',
};

/** Herald's update markdown as Slack mrkdwn: *bold*, _em_, <url|text>, with & < > escaped. */
export function slackMrkdwn(markdown: string, base?: string): string {
  return convertMarkdown(markdown, SLACK_DIALECT, base);
}
