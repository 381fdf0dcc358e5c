import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/i18n/catalogues/en.ts';
import { LANGUAGES } from '../../../src/i18n/languages.ts';

type Element = ReturnType<IntlMessageFormat['getAst']>[number];

const SRC = join(import.meta.dirname, '../../../src');
const CATALOGUES = join(SRC, 'i18n/catalogues');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path === CATALOGUES ? [] : sourceFiles(path);
    return /\.(ts|astro|mjs|js)$/.test(name) ? [path] : [];
  });
}

/** The arguments a message takes, and the plural categories it names, wherever they are nested. */
function shape(elements: Element[], found = { args: new Set<string>(), plurals: new Set<string>() }) {
  for (const element of elements) {
    // 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural (@formatjs/icu-messageformat-parser's TYPE).
    if (element.type >= 1 && element.type <= 6 && 'value' in element && typeof element.value === 'string')
      found.args.add(element.value);
    if ((element.type === 5 || element.type === 6) && 'options' in element) {
      for (const [selector, option] of Object.entries(element.options)) {
        if (element.type === 6 && !selector.startsWith('=')) found.plurals.add(selector);
        shape(option.value, found);
      }
    }
    if (element.type === 8 && 'children' in element) shape(element.children, found);
  }
  return found;
}

describe('the message catalogues', () => {
  const englishKeys = Object.keys(en).sort();

  for (const language of LANGUAGES) {
    it(`has exactly English's keys in ${language.code}, none of them empty`, () => {
      expect(Object.keys(language.catalogue).sort()).toEqual(englishKeys);
      const empty = Object.entries(language.catalogue).filter(([, message]) => message.trim() === '');
      expect(empty.map(([key]) => key)).toEqual([]);
    });

    it(`parses every ${language.code} message with intl-messageformat, with English's arguments and ${language.code}'s plural categories`, () => {
      const categories = new Set<string>(new Intl.PluralRules(language.code).resolvedOptions().pluralCategories);
      const problems: string[] = [];
      for (const [key, message] of Object.entries(language.catalogue)) {
        let ast: Element[];
        try {
          ast = new IntlMessageFormat(message, language.code).getAst();
        } catch (error) {
          problems.push(`${key}: does not parse (${String(error)})`);
          continue;
        }
        const own = shape(ast);
        const english = shape(new IntlMessageFormat(en[key as keyof typeof en], 'en').getAst());
        const args = [...own.args].sort();
        if (args.join() !== [...english.args].sort().join())
          problems.push(`${key}: arguments ${args.join(', ')} where English has ${[...english.args].join(', ')}`);
        const foreign = [...own.plurals].filter((c) => !categories.has(c));
        if (foreign.length > 0)
          problems.push(`${key}: plural categories ${foreign.join(', ')} are not ${language.code}'s`);
        if (english.plurals.size > 0 && !own.plurals.has('other')) problems.push(`${key}: a plural without "other"`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('uses every key somewhere under src/ (a key nothing shows is a translation nobody reads)', () => {
    const sources = sourceFiles(SRC).map((path) => readFileSync(path, 'utf8'));
    const unused = englishKeys.filter(
      (key) => !sources.some((text) => text.includes(`'${key}'`) || text.includes(`"${key}"`)),
    );
    expect(unused, `unused in ${relative(process.cwd(), SRC)}`).toEqual([]);
  });

  it('gives Arabic its six plural forms and Japanese only "other" where a count is said', () => {
    const ar = LANGUAGES.find((l) => l.code === 'ar')?.catalogue;
    const ja = LANGUAGES.find((l) => l.code === 'ja')?.catalogue;
    const format = (message: string, code: string, values: Record<string, number | string>) =>
      String(new IntlMessageFormat(message, code).format(values));
    expect(format(ar?.['uptime.daysAgo'] ?? '', 'ar', { days: 2 })).toBe('قبل يومين');
    expect(format(ar?.['uptime.daysAgo'] ?? '', 'ar', { days: 3 })).toBe('قبل 3 أيام');
    expect(format(ar?.['uptime.daysAgo'] ?? '', 'ar', { days: 30 })).toBe('قبل 30 يومًا');
    expect(format(ar?.['uptime.daysAgo'] ?? '', 'ar', { days: 100 })).toBe('قبل 100 يوم');
    expect(format(ja?.['uptime.daysAgo'] ?? '', 'ja', { days: 1 })).toBe('1日前');
    expect(format(en['uptime.daysAgo'], 'en', { days: 1 })).toBe('1 day ago');
  });
});
