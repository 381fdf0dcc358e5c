import { IMPACTS, type Impact, INCIDENT_STATUSES, type IncidentStatus } from './incident.ts';

/** What `/status <text>` asks for, once read; who may do it is the service's to decide. */
export type StatusCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  /** `components` are names or ids as typed, in order, without repeats. */
  | { kind: 'create'; impact: Impact; components: string[]; title: string }
  | { kind: 'update'; code: string; status: IncidentStatus; message: string }
  | { kind: 'resolve'; code: string; message: string | null }
  | { kind: 'approve'; draftId: string };

export type Subcommand = Exclude<StatusCommand['kind'], 'help'>;

export type StatusCommandErrorReason =
  | 'unknown_subcommand'
  | 'missing_argument'
  | 'unexpected_argument'
  | 'invalid_impact'
  | 'invalid_status'
  | 'invalid_reference'
  | 'unclosed_quote';

export type StatusCommandError = {
  reason: StatusCommandErrorReason;
  /** The subcommand it was meant for, when that much was understood. */
  subcommand: Subcommand | null;
  /** One sentence for the person who typed it (plain text: it may quote what they typed). */
  message: string;
  /** How to write it: the subcommand's syntax, or every syntax when the subcommand is unknown. */
  usage: string;
};

export type ParsedStatusCommand = { ok: true; command: StatusCommand } | { ok: false; error: StatusCommandError };

/** The Statuspage/seed severities: P1 is the worst. */
export const SEVERITY_IMPACTS: Record<string, Impact> = { p1: 'critical', p2: 'major', p3: 'minor', p4: 'none' };

export const COMMAND_USAGE: readonly { subcommand: Subcommand; syntax: string; summary: string }[] = [
  { subcommand: 'list', syntax: 'list', summary: 'Open incidents and drafts waiting for approval.' },
  {
    subcommand: 'create',
    syntax: 'create <impact> <component,…> <title>',
    summary: 'Open an incident. Impact: none, minor, major, critical or P1–P4; quote names with spaces.',
  },
  {
    subcommand: 'update',
    syntax: 'update <code> <status> <message>',
    summary: 'Post an update. Status: investigating, identified, monitoring or resolved.',
  },
  { subcommand: 'resolve', syntax: 'resolve <code> [message]', summary: 'Resolve an incident.' },
  { subcommand: 'approve', syntax: 'approve <draft id>', summary: 'Publish a draft suggested from alerts.' },
];

// Typed on macOS and iOS, "straight" quotes come out curly; both families open and close alike.
const DOUBLE_QUOTES = '"“”„';
const SINGLE_QUOTES = "'‘’‚";

/** The text as typed: Slack sends &, < and > as entities (mentions and links stay <…>). */
const unescapeSlack = (text: string) =>
  text.replace(/&(amp|lt|gt);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>' })[name] ?? '');

// `includes('')` is true: an empty string is no quote.
const quoteFamily = (c: string | undefined) =>
  !c ? null : DOUBLE_QUOTES.includes(c) ? DOUBLE_QUOTES : SINGLE_QUOTES.includes(c) ? SINGLE_QUOTES : null;

/** A cursor over the command's text; quoted words may hold spaces and commas. */
class Reader {
  private at = 0;
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  private skipSpace() {
    while (this.at < this.text.length && /\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  /** The index of the quote closing one opened at `open`: same family, then a space, comma or the end. */
  private closing(open: number, stops: RegExp): number {
    const family = quoteFamily(this.text[open]) ?? '';
    for (let i = open + 1; i < this.text.length; i++) {
      const [c, next] = [this.text[i], this.text[i + 1]];
      if (c && family.includes(c) && (next === undefined || stops.test(next))) return i;
    }
    return -1;
  }

  /** The next word (quotes removed), '' at the end, or null when a quote is never closed. */
  word(stops = /\s/): string | null {
    this.skipSpace();
    if (quoteFamily(this.text[this.at])) {
      const close = this.closing(this.at, stops);
      if (close < 0) return null;
      const word = this.text.slice(this.at + 1, close).trim();
      this.at = close + 1;
      return word;
    }
    const start = this.at;
    // Slack's <link|label> and <@user|name> are one word, spaces in the label and all.
    const markup = this.text[this.at] === '<' ? this.text.indexOf('>', this.at) : -1;
    if (markup > 0) this.at = markup + 1;
    while (this.at < this.text.length && !stops.test(this.text[this.at] ?? '')) this.at++;
    return this.text.slice(start, this.at);
  }

  /** Words apart by commas (spaces around a comma allowed); null when a quote is never closed. */
  list(): string[] | null {
    const items: string[] = [];
    for (;;) {
      const item = this.word(/[\s,]/);
      if (item === null) return null;
      if (item) items.push(item);
      this.skipSpace();
      if (this.text[this.at] !== ',') return items;
      this.at++;
    }
  }

  /** The rest of the text; quotes are removed only when they wrap all of it. */
  rest(): string {
    const rest = this.text.slice(this.at).trim();
    this.at = this.text.length;
    const family = quoteFamily(rest[0]);
    const last = rest.at(-1);
    const wrapped = rest.length >= 2 && family && last && family.includes(last) && this.innerIsPlain(rest, family);
    return wrapped ? rest.slice(1, -1).trim() : rest;
  }

  // `"Login" fails for "some" users` starts and ends with quotes without being one quoted string.
  private innerIsPlain(rest: string, family: string) {
    const inner = rest.slice(1, -1);
    for (let i = 0; i < inner.length; i++) {
      const [c, next] = [inner[i], inner[i + 1]];
      if (c && family.includes(c) && (next === undefined || /\s/.test(next))) return false;
    }
    return true;
  }
}

const usageOf = (subcommand: Subcommand | null, command: string) =>
  COMMAND_USAGE.filter((u) => subcommand === null || u.subcommand === subcommand)
    .map((u) => `${command} ${u.syntax}`)
    .join('\n');

/** An incident's public code, or its permalink pasted in: as typed, or as Slack's <url> or <url|text>. */
function reference(word: string): string | null {
  const link = /^<(https?:\/\/[^|>]+)(?:\|[^>]*)?>$|^(https?:\/\/\S+)$/.exec(word);
  const path = link ? /\/incidents\/([^/?#]+)/.exec(link[1] ?? link[2] ?? '')?.[1] : word.replace(/^#/, '');
  return path && /^[a-z0-9_-]{1,64}$/i.test(path) ? path.toLowerCase() : null;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** What they typed, quoted back within reason. */
const echo = (s: string) => `"${s.length > 60 ? `${s.slice(0, 59)}…` : s}"`;

/**
 * `/status` text → a command, or what was wrong with it and how to write it. `command` is the slash
 * command's configured name, used in the usage lines.
 */
export function parseStatusCommand(text: string, command = '/status'): ParsedStatusCommand {
  const reader = new Reader(unescapeSlack(text).trim());
  const head = reader.word();
  const first = head?.toLowerCase() ?? '';
  const ok = (c: StatusCommand): ParsedStatusCommand => ({ ok: true, command: c });
  if (head !== null && (first === '' || first === 'help' || first === '?')) return ok({ kind: 'help' });

  const known = COMMAND_USAGE.find((u) => u.subcommand === first)?.subcommand ?? null;
  const fail = (reason: StatusCommandErrorReason, message: string): ParsedStatusCommand => ({
    ok: false,
    error: { reason, subcommand: known, message, usage: usageOf(known, command) },
  });
  const unclosed = () => fail('unclosed_quote', 'A quote is opened but never closed.');
  if (head === null) return unclosed();
  if (!known) return fail('unknown_subcommand', `Unknown subcommand ${echo(first)}.`);

  switch (known) {
    case 'list': {
      const extra = reader.rest();
      return extra
        ? fail('unexpected_argument', `"list" takes no arguments (got ${echo(extra)}).`)
        : ok({ kind: 'list' });
    }
    case 'create': {
      const impactWord = reader.word();
      if (impactWord === null) return unclosed();
      if (!impactWord) return fail('missing_argument', 'Say the impact, the components and a title.');
      const lower = impactWord.toLowerCase();
      const impact = SEVERITY_IMPACTS[lower] ?? IMPACTS.find((i) => i === lower);
      if (!impact)
        return fail('invalid_impact', `${echo(impactWord)} is not an impact: none, minor, major, critical or P1–P4.`);
      const components = reader.list();
      if (components === null) return unclosed();
      if (!components.length)
        return fail('missing_argument', 'Name at least one component (names or ids, comma-separated).');
      const title = collapse(reader.rest());
      if (!title) return fail('missing_argument', 'Give the incident a title after the components.');
      return ok({ kind: 'create', impact, components: [...new Set(components)], title });
    }
    case 'update': {
      const codeWord = reader.word();
      const statusWord = reader.word();
      if (codeWord === null || statusWord === null) return unclosed();
      if (!codeWord) return fail('missing_argument', "Say which incident: its code, as in the incident's address.");
      const code = reference(codeWord);
      if (!code) return fail('invalid_reference', `${echo(codeWord)} is not an incident code.`);
      if (!statusWord) return fail('missing_argument', 'Say the status and the message.');
      const status = INCIDENT_STATUSES.find((s) => s === statusWord.toLowerCase());
      if (!status)
        return fail('invalid_status', `${echo(statusWord)} is not a status: ${INCIDENT_STATUSES.join(', ')}.`);
      const message = reader.rest();
      if (!message) return fail('missing_argument', 'Write the message of the update after the status.');
      return ok({ kind: 'update', code, status, message });
    }
    case 'resolve':
    case 'approve': {
      const word = reader.word();
      if (word === null) return unclosed();
      const what = known === 'resolve' ? 'incident code' : 'draft id';
      if (!word) return fail('missing_argument', `Say the ${what}.`);
      const id = reference(word);
      if (!id) return fail('invalid_reference', `${echo(word)} is not a valid ${what}.`);
      const rest = reader.rest();
      if (known === 'resolve') return ok({ kind: 'resolve', code: id, message: rest || null });
      if (rest) return fail('unexpected_argument', `"approve" takes only the draft id (got ${echo(rest)}).`);
      return ok({ kind: 'approve', draftId: id });
    }
  }
}
