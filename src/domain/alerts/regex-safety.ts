/**
 * Whether a rule's regex may run on every alert. JavaScript's engine backtracks, so a regex an
 * owner types by mistake, such as `(a+)+` or `.*.*.*=.*`, can take minutes on one 10 KB label
 * value and stall the server (Prometheus' RE2 cannot). What is refused: repeating a group that
 * already repeats something, repeating a group whose alternatives can start alike, more than two
 * unbounded repetitions, and the backreferences and lookarounds RE2 lacks. Some harmless regexes
 * are refused too (`(\d+\.){3}`): the message says how to write them out. Pure.
 */

export const MAX_REGEX_LENGTH = 200;
/** `.*a.*` is quadratic at worst (about 0.1 s on 10 KB); a third makes it cubic (a minute). */
export const MAX_UNBOUNDED = 2;
/** A repetition bound above this counts as unbounded: `.{0,5000}` backtracks like `.*`. */
const LARGE_BOUND = 100;

/** Prometheus writes a case-insensitive regex `(?i)…`; JavaScript takes a flag. */
const CASELESS = '(?i)';

/** The regex a matcher's value means, anchored at both ends as Prometheus anchors it. Throws when refused. */
export function compileAnchored(source: string): RegExp {
  const problem = regexProblem(source);
  if (problem !== null) throw new Error(problem);
  return build(source);
}

function build(source: string): RegExp {
  const caseless = source.startsWith(CASELESS);
  return new RegExp(`^(?:${caseless ? source.slice(CASELESS.length) : source})$`, caseless ? 'i' : '');
}

/** Why the regex is refused, as words for the console; null when it may be used. */
export function regexProblem(source: string): string | null {
  if (source.length > MAX_REGEX_LENGTH)
    return `is ${source.length} characters long; at most ${MAX_REGEX_LENGTH} are allowed`;
  try {
    build(source);
  } catch (error) {
    // V8 says "Invalid regular expression: /^(?:…)$/: Unterminated group"; the anchored copy would confuse.
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, '');
    return `is not a valid regular expression (${reason})`;
  }
  return scan(source.startsWith(CASELESS) ? source.slice(CASELESS.length) : source);
}

type Frame = { repeatsInside: boolean; starts: string[]; awaitingStart: boolean };
type Last = { group: false } | { group: true; repeatsInside: boolean; overlapping: boolean } | null;

const ANY = '';
const QUANTIFIER = /^(?:\*|\+|\?|\{(\d+)(?:(,)(\d*))?\})\??/;

function scan(source: string): string | null {
  const stack: Frame[] = [{ repeatsInside: false, starts: [], awaitingStart: true }];
  const top = () => stack[stack.length - 1] as Frame;
  let last: Last = null;
  let unbounded = 0;
  const atom = (start: string) => {
    if (top().awaitingStart) top().starts.push(start);
    top().awaitingStart = false;
    last = { group: false };
  };
  for (let i = 0; i < source.length;) {
    const rest = source.slice(i);
    const char = rest[0] as string;
    const quantifier = QUANTIFIER.exec(rest);
    if (quantifier !== null && last !== null) {
      const max = maxOf(quantifier);
      if (max > 1 && last.group && last.repeatsInside)
        return 'repeats a group that already repeats something, like (a+)+, which can take exponential time; write the repetition out, as \\d+\\.\\d+ for (\\d+\\.){2}';
      if (max > 1 && last.group && last.overlapping)
        return 'repeats a group whose alternatives can start alike, like (a|ab)+, which can take exponential time';
      if (max > LARGE_BOUND && ++unbounded > MAX_UNBOUNDED)
        return `has more than ${MAX_UNBOUNDED} unbounded repetitions (*, +, {n,}), which can take minutes on a long label value`;
      top().repeatsInside = true;
      last = null;
      i += quantifier[0].length;
    } else if (char === '\\') {
      const next = rest[1] ?? '';
      if (/[1-9]/.test(next) || rest.startsWith('\\k<'))
        return 'uses a backreference, which alert rules do not support';
      atom(/[dDwWsSbBpP]/.test(next) ? ANY : next);
      i += 2;
    } else if (char === '[') {
      atom(ANY);
      i += classLength(rest);
    } else if (char === '(') {
      if (/^\(\?<?[=!]/.test(rest)) return 'uses a lookahead or lookbehind, which alert rules do not support';
      atom(ANY);
      stack.push({ repeatsInside: false, starts: [], awaitingStart: true });
      last = null;
      i += /^\((?:\?(?:<[^>]*>|[a-z-]*:))?/.exec(rest)?.[0].length ?? 1;
    } else if (char === ')' && stack.length > 1) {
      const frame = stack.pop() as Frame;
      if (frame.awaitingStart) frame.starts.push(ANY);
      top().repeatsInside ||= frame.repeatsInside;
      last = { group: true, repeatsInside: frame.repeatsInside, overlapping: overlapping(frame.starts) };
      i += 1;
    } else if (char === '|') {
      if (top().awaitingStart) top().starts.push(ANY);
      top().awaitingStart = true;
      last = null;
      i += 1;
    } else {
      if (char === '^' || char === '$') last = null;
      else atom(char === '.' ? ANY : char.toLowerCase());
      i += 1;
    }
  }
  return null;
}

function maxOf(quantifier: RegExpExecArray): number {
  const [text, low, comma, high] = quantifier;
  if (text.startsWith('*') || text.startsWith('+')) return Number.POSITIVE_INFINITY;
  if (text.startsWith('?')) return 1;
  if (comma === undefined) return Number(low);
  return high === '' || high === undefined ? Number.POSITIVE_INFINITY : Number(high);
}

/** `[...]` up to its closing bracket, escapes included (`[]` is an empty class in JavaScript). */
function classLength(rest: string): number {
  let j = 1;
  if (rest[j] === '^') j += 1;
  while (j < rest.length && rest[j] !== ']') j += rest[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Two alternatives that may start with the same character let the engine try both at every step. */
function overlapping(starts: string[]): boolean {
  if (starts.length < 2) return false;
  return starts.includes(ANY) || new Set(starts).size < starts.length;
}
