/**
 * Which rule an alert falls under. Matchers are written as Prometheus and Alertmanager users
 * already write them (`service=api, severity=~critical|page`): `=`, `!=`, `=~`, `!~`, a missing
 * label reads as '', and a regex must match the whole value (`severity=~crit` does not match
 * `critical`). Rules are tried in order and the first that matches wins. Pure.
 */
import type { AlertRule, Matcher, MatchOperator, NormalizedAlert } from '../alerts.ts';
import { entryOf } from './payload.ts';
import { compileAnchored, regexProblem } from './regex-safety.ts';

/** A matcher is longer than this only by mistake: values are label values, not documents. */
export const MAX_MATCHER_VALUE_LENGTH = 1024;

export class InvalidMatcher extends Error {
  /** The matcher as it was written. */
  readonly text: string;
  constructor(text: string, problem: string) {
    super(`"${text}": ${problem}`);
    this.name = 'InvalidMatcher';
    this.text = text;
  }
}

const MATCHER = /^([^=!~\s]*)\s*(=~|!~|!=|=)\s*(.*)$/s;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseMatcher(text: string): Matcher {
  const written = text.trim();
  const parts = MATCHER.exec(written);
  if (parts === null) throw new InvalidMatcher(written, 'needs a label, an operator (=, !=, =~ or !~) and a value');
  const [, label = '', op = '=', raw = ''] = parts;
  if (!LABEL_NAME.test(label))
    throw new InvalidMatcher(written, 'the label must start with a letter or _ and hold letters, digits, _, . or -');
  const matcher: Matcher = { label, op: op as MatchOperator, value: unquote(written, raw.trim()) };
  const problem = matcherProblem(matcher);
  if (problem !== null) throw new InvalidMatcher(written, problem);
  return matcher;
}

/** `service=api, severity=~critical|page`, or Prometheus' `{service="api", severity=~"critical|page"}`; '' is none. */
export function parseMatchers(text: string): Matcher[] {
  const inner = text.trim().replace(/^\{([\s\S]*)\}$/, '$1');
  return splitTopLevel(inner)
    .filter((part) => part.trim() !== '')
    .map(parseMatcher);
}

/** The inverse of parseMatchers: what the console shows and the owner edits. */
export function formatMatchers(matchers: readonly Matcher[]): string {
  return matchers.map(formatMatcher).join(', ');
}

export function formatMatcher({ label, op, value }: Matcher): string {
  const plain = `${label}${op}${value}`;
  // Quoted when the plain text would read back differently: empty, padded, holding a quote, or
  // with a comma or an unclosed bracket that would split (or join) the list in the wrong place.
  const readsBack =
    value !== '' && value === value.trim() && !value.includes('"') && splitTopLevel(`${plain},`).length === 2;
  return readsBack ? plain : `${label}${op}${JSON.stringify(value)}`;
}

/** Why a matcher cannot be used (also for matchers read back from storage), or null. */
export function matcherProblem(matcher: Matcher): string | null {
  if (!LABEL_NAME.test(matcher.label)) return 'the label must start with a letter or _';
  if (matcher.value.length > MAX_MATCHER_VALUE_LENGTH)
    return `the value is longer than ${MAX_MATCHER_VALUE_LENGTH} characters`;
  if (matcher.op !== '=~' && matcher.op !== '!~') return null;
  const problem = regexProblem(matcher.value);
  return problem === null ? null : `the regex ${problem}`;
}

/** All matchers hold; no matchers match every alert. */
export function matches(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((matcher) => holds(matcher, entryOf(labels, matcher.label) ?? ''));
}

export function firstMatchingRule<R extends Pick<AlertRule, 'matchers'>>(
  rules: readonly R[],
  alert: Pick<NormalizedAlert, 'labels'>,
): R | null {
  return rules.find((rule) => matches(rule.matchers, alert.labels)) ?? null;
}

function holds({ op, value }: Matcher, actual: string): boolean {
  if (op === '=') return actual === value;
  if (op === '!=') return actual !== value;
  const found = regexOf(value).test(actual);
  return op === '=~' ? found : !found;
}

// Compiled once per distinct regex: a storm runs the same few rules on a thousand alerts.
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 500;

function regexOf(source: string): RegExp {
  let regex = compiled.get(source);
  if (regex === undefined) {
    try {
      regex = compileAnchored(source);
    } catch (error) {
      throw new InvalidMatcher(source, `the regex ${(error as Error).message}`);
    }
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(source, regex);
  }
  return regex;
}

function unquote(written: string, raw: string): string {
  if (!raw.startsWith('"')) return raw;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'string') return value;
  } catch {
    // reported below
  }
  throw new InvalidMatcher(written, 'the quoted value must end with " (write \\" for a quote inside it)');
}

/**
 * Splits on commas outside quotes, brackets and character classes, so `code=~5\d{1,2}` and
 * `path=~[(,)]` each stay one matcher.
 */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let [depth, quoted, inClass, start] = [0, false, false, 0];
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '\\') i += 1;
    else if (char === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(' || char === '{') depth += 1;
    else if (char === ')' || char === '}') depth = Math.max(0, depth - 1);
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
