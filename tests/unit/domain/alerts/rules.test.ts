import { describe, expect, it } from 'vitest';
import type { Matcher } from '../../../../src/domain/alerts.ts';
import {
  InvalidMatcher,
  firstMatchingRule,
  formatMatchers,
  matches,
  parseMatcher,
  parseMatchers,
} from '../../../../src/domain/alerts/rules.ts';

const LABELS = { alertname: 'APIHighErrorRate', service: 'api', severity: 'critical', instance: 'api-1:8080' };

const problemOf = (text: string): string => {
  try {
    parseMatchers(text);
    return 'ok';
  } catch (error) {
    if (error instanceof InvalidMatcher) return error.message;
    throw error;
  }
};

describe('reading matchers as Prometheus users write them', () => {
  it.each<[string, Matcher]>([
    ['service=api', { label: 'service', op: '=', value: 'api' }],
    ['severity!=info', { label: 'severity', op: '!=', value: 'info' }],
    ['severity=~critical|page', { label: 'severity', op: '=~', value: 'critical|page' }],
    ['env!~dev|staging', { label: 'env', op: '!~', value: 'dev|staging' }],
    ['  service = api  ', { label: 'service', op: '=', value: 'api' }],
    ['service="a, b"', { label: 'service', op: '=', value: 'a, b' }],
    ['team=""', { label: 'team', op: '=', value: '' }],
    ['team=', { label: 'team', op: '=', value: '' }],
    ['check.service=checkout', { label: 'check.service', op: '=', value: 'checkout' }],
    ['title=a=b', { label: 'title', op: '=', value: 'a=b' }],
  ])('reads %s', (text, matcher) => {
    expect(parseMatcher(text)).toEqual(matcher);
  });

  it.each<[string, Matcher[]]>([
    ['', []],
    [
      'service=api, severity=~critical|page',
      [
        { label: 'service', op: '=', value: 'api' },
        { label: 'severity', op: '=~', value: 'critical|page' },
      ],
    ],
    [
      '{service="api", severity=~"critical|page"}',
      [
        { label: 'service', op: '=', value: 'api' },
        { label: 'severity', op: '=~', value: 'critical|page' },
      ],
    ],
    [
      'code=~5\\d{1,2}, service=api,',
      [
        { label: 'code', op: '=~', value: '5\\d{1,2}' },
        { label: 'service', op: '=', value: 'api' },
      ],
    ],
    ['path=~[(,)]x', [{ label: 'path', op: '=~', value: '[(,)]x' }]],
  ])('reads the list %j', (text, matchers) => {
    expect(parseMatchers(text)).toEqual(matchers);
  });

  it.each([
    ['service', '"service": needs a label, an operator (=, !=, =~ or !~) and a value'],
    ['=api', '"=api": the label must start with a letter or _ and hold letters, digits, _, . or -'],
    ['1st=api', '"1st=api": the label must start with a letter or _ and hold letters, digits, _, . or -'],
    ['service="api', '"service="api": the quoted value must end with " (write \\" for a quote inside it)'],
    ['severity=~(crit', '"severity=~(crit": the regex is not a valid regular expression (Unterminated group)'],
    [
      'severity=~crit[',
      '"severity=~crit[": the regex is not a valid regular expression (Unterminated character class)',
    ],
    [`x=~${'a'.repeat(201)}`, `"x=~${'a'.repeat(201)}": the regex is 201 characters long; at most 200 are allowed`],
    ['x=~(a)\\1', '"x=~(a)\\1": the regex uses a backreference, which alert rules do not support'],
    ['x=~(?=a)a', '"x=~(?=a)a": the regex uses a lookahead or lookbehind, which alert rules do not support'],
    ['x=~(?<!a)b', '"x=~(?<!a)b": the regex uses a lookahead or lookbehind, which alert rules do not support'],
  ])('refuses %s with a readable message', (text, message) => {
    expect(problemOf(text)).toBe(message);
  });

  const NESTED =
    'the regex repeats a group that already repeats something, like (a+)+, which can take exponential time; write the repetition out, as \\d+\\.\\d+ for (\\d+\\.){2}';
  const ALTERNATION =
    'the regex repeats a group whose alternatives can start alike, like (a|ab)+, which can take exponential time';
  const UNBOUNDED =
    'the regex has more than 2 unbounded repetitions (*, +, {n,}), which can take minutes on a long label value';
  it.each([
    ['(a+)+', NESTED],
    ['(a*)*b', NESTED],
    ['(.*)*', NESTED],
    ['(x+x+)+y', NESTED],
    ['((a)+)+', NESTED],
    ['(a?){30}a{30}', NESTED],
    ['(\\d+\\.){3}\\d+', NESTED],
    ['(a|a)*', ALTERNATION],
    ['(a|ab)+c', ALTERNATION],
    ['(\\w|\\d)+', ALTERNATION],
    ['(.|x){2,}', ALTERNATION],
    ['.*.*.*=.*', UNBOUNDED],
    ['.*a.*b.*c', UNBOUNDED],
    ['.{0,5000}x.{0,5000}y.{0,5000}', UNBOUNDED],
  ])('refuses the catastrophic regex %s', (regex, problem) => {
    expect(problemOf(`x=~${regex}`)).toBe(`"x=~${regex}": ${problem}`);
  });

  it.each([
    'critical|page',
    '.*api.*',
    'api-(eu|us)-\\d+',
    '(foo|bar)+',
    '(?i)critical',
    '[a-z]+[0-9]+',
    '(https?://)?example\\.com',
    '5\\d{2}',
    'a{2,5}',
    '[(|)]+',
    '\\(a+\\)+',
    'x{',
  ])('takes the ordinary regex %s', (regex) => {
    expect(problemOf(`x=~${regex}`)).toBe('ok');
  });

  it('runs the regexes it takes on hostile 10 KB label values in bounded time (quadratic at worst)', () => {
    const values = ['a'.repeat(10240), '-'.repeat(10240), '1'.repeat(10240), 'ab'.repeat(5120)];
    const regexes = ['.*a.*b', '.*-.*-x', '\\w+\\d+x', '(a|b)+c', '[a-z]+[0-9]+', '.*api.*'];
    const started = performance.now();
    for (const value of values) {
      for (const regex of regexes) matches(parseMatchers(`x=~${regex}`), { x: `${value}!` });
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each<[Matcher[]]>([
    [[{ label: 'service', op: '=', value: 'api' }]],
    [
      [
        { label: 'severity', op: '=~', value: 'critical|page' },
        { label: 'env', op: '!=', value: 'staging' },
      ],
    ],
    [[{ label: 'title', op: '=', value: 'a, "b"' }]],
    [[{ label: 'team', op: '=', value: '' }]],
    [[{ label: 'team', op: '!=', value: ' padded ' }]],
    [[{ label: 'path', op: '=', value: '(unclosed' }]],
    [[{ label: 'path', op: '=', value: '[x' }]],
    [[{ label: 'code', op: '=~', value: '5\\d{1,2}' }]],
  ])('formats %j so that it reads back the same', (matchers) => {
    expect(parseMatchers(formatMatchers(matchers))).toEqual(matchers);
  });

  it('formats as people write matchers', () => {
    expect(
      formatMatchers([
        { label: 'service', op: '=', value: 'api' },
        { label: 'severity', op: '=~', value: 'critical|page' },
        { label: 'title', op: '!=', value: 'a, b' },
      ]),
    ).toBe('service=api, severity=~critical|page, title!="a, b"');
  });
});

describe('matching an alert', () => {
  it.each([
    ['service=api', true],
    ['service=web', false],
    ['service!=web', true],
    ['severity=~crit', false],
    ['severity=~crit.*', true],
    ['severity=~critical|page', true],
    ['severity!~critical|page', false],
    ['severity=~CRITICAL', false],
    ['severity=~(?i)CRITICAL', true],
    ['instance=~api-\\d+:8080', true],
    ['team=', true],
    ['team!=', false],
    ['team=~.*', true],
    ['team=~.+', false],
    ['constructor=', true],
    ['toString!=', false],
    ['', true],
    ['service=api, severity=warning', false],
    ['service=api, severity=~critical|page, team!=db', true],
  ])('%s: %s', (text, expected) => {
    expect(matches(parseMatchers(text), LABELS)).toBe(expected);
  });

  it('refuses a stored regex that would not be accepted today', () => {
    expect(() => matches([{ label: 'x', op: '=~', value: '(a+)+' }], LABELS)).toThrow(InvalidMatcher);
  });

  it('takes the first rule that matches, in order', () => {
    const rules = [
      { id: 'db', matchers: parseMatchers('service=db') },
      { id: 'api-critical', matchers: parseMatchers('service=api, severity=critical') },
      { id: 'api', matchers: parseMatchers('service=api') },
      { id: 'everything', matchers: [] },
    ];
    expect(firstMatchingRule(rules, { labels: LABELS })?.id).toBe('api-critical');
    expect(firstMatchingRule(rules, { labels: { service: 'web' } })?.id).toBe('everything');
    expect(firstMatchingRule(rules.slice(0, 3), { labels: { service: 'web' } })).toBeNull();
  });
});
