/**
 * What the owner's custom CSS may not do. It is served as its own file (/custom.css, text/css,
 * nosniff) under a Content-Security-Policy that already refuses other origins' stylesheets and
 * fonts and any non-https image, so these rules are a second line, and a readable refusal where
 * the browser would fail silently:
 *
 * - `<` anywhere: the text could otherwise end a `<style>` element (`</style`) or open an HTML
 *   comment wherever it is ever put inline (an exported page, a proxy, a future feature);
 * - `@import`: one stylesheet is one file, reviewed where it is written;
 * - `url(…)` and the URL strings of `image-set()`, `image()`, `src()` and `cross-fade()` that do
 *   not resolve to https (a path on this site resolves to it): no http, `data:` or `javascript:`.
 *
 * CSS escapes are resolved before looking (`\69mport` is `import` to a browser), so an escape
 * cannot hide what the text says. The stylesheet itself is kept and served as written.
 */
export const MAX_CUSTOM_CSS_BYTES = 16_384;

// A stand-in origin for relative URLs: they point at this site, over the page's own scheme.
const RELATIVE_BASE = 'https://status.invalid/custom.css';
const URL_FUNCTIONS = /(?<![\w-])(url|src|image|image-set|-webkit-image-set|cross-fade)\(/g;

function codePoint(hex: string): string {
  const value = Number.parseInt(hex, 16);
  const valid = value > 0 && value <= 0x10ffff && (value < 0xd800 || value > 0xdfff);
  return String.fromCodePoint(valid ? value : 0xfffd);
}

/** The text as a CSS tokenizer reads it: escapes resolved, escaped newlines gone, lowercased. */
function unescaped(css: string): string {
  return css
    .replace(
      /\\(?:([0-9a-fA-F]{1,6})(?:\r\n|[ \t\n\r\f])?|(\r\n|[\n\r\f])|([\s\S]))/g,
      (_match, hex: string | undefined, newline: string | undefined, other: string | undefined) =>
        hex ? codePoint(hex) : newline ? '' : (other ?? ''),
    )
    .toLowerCase();
}

function isHttps(target: string): boolean {
  try {
    return new URL(target, RELATIVE_BASE).protocol === 'https:';
  } catch {
    return false;
  }
}

/** The end of the parenthesised arguments that start at `open` (the index after `(`). */
function closingParen(text: string, open: number): number {
  let depth = 1;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return text.length;
}

/** The URLs a function's arguments name: an unquoted url(…) token, or each quoted string. */
function targetsOf(name: string, args: string): string[] {
  const unquoted = name === 'url' && !/^\s*["']/.test(args);
  if (unquoted) return [args.trim()];
  return [...args.matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? '');
}

/** Why the custom CSS cannot be kept, or null when it can. */
export function customCssProblem(css: string): string | null {
  const bytes = new TextEncoder().encode(css).byteLength;
  if (bytes > MAX_CUSTOM_CSS_BYTES) {
    return `must be at most 16 KB (${MAX_CUSTOM_CSS_BYTES} bytes); it is ${bytes} bytes`;
  }
  // Checked as written: an escaped \3c is only ever a character inside CSS.
  if (css.includes('<')) {
    return 'must not contain “<” (it could end a <style> element); inside a string, write \\3c instead';
  }
  const text = unescaped(css);
  if (/@import/.test(text)) return 'must not use @import: put the rules in this stylesheet';
  for (const match of text.matchAll(URL_FUNCTIONS)) {
    const name = match[1] ?? 'url';
    const open = (match.index ?? 0) + match[0].length;
    const args = text.slice(open, closingParen(text, open));
    const refused = targetsOf(name, args).find((target) => !isHttps(target));
    if (refused !== undefined) {
      const shown = refused.length > 60 ? `${refused.slice(0, 57)}…` : refused;
      return `may only load https addresses or paths on this site: ${name}(${shown}) is refused`;
    }
  }
  return null;
}
