import { createRequire } from 'node:module';
import type * as AdaptiveCards from 'adaptivecards';
import { describe, expect, it } from 'vitest';
import {
  type AdaptiveCard,
  type TeamsMessage,
  teamsConfirmationMessage,
  teamsMarkdown,
  teamsMessage,
  teamsTestMessage,
} from '../../../src/render/teams-card.ts';
import { BASE, channelInput, component, EVENTS } from '../../helpers/channel-input.ts';

// The package's ES build imports its own files without extensions, which Node refuses; its UMD
// build is the same code in one file, and parsing a card needs no DOM.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

/** What Microsoft's own library reports parsing and validating a card, and what it dropped as unknown. */
function cardProblems(content: AdaptiveCard): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(content, context);
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  const validation = card.validateProperties().validationEvents.map((e) => e.message);
  const kept = JSON.stringify(sorted(card.toJSON(new AC.SerializationContext(AC.Versions.v1_5))));
  const dropped = kept === JSON.stringify(sorted(content)) ? [] : [`not kept as sent: ${kept}`];
  return [...events, ...validation, ...(card.version.toString() === '1.5' ? [] : ['not version 1.5']), ...dropped];
}

/** Keys in a stable order, so the round trip compares content and not key order. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, sorted(v)]),
  );
}

/** The message as Teams receives it; its card must parse without a single warning. */
function parsed(message: TeamsMessage): AdaptiveCard {
  const wire = JSON.parse(JSON.stringify(message)) as TeamsMessage;
  expect(wire.type).toBe('message');
  expect(wire.attachments).toHaveLength(1);
  expect(wire.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
  expect(wire.attachments[0].contentUrl).toBeNull();
  expect(cardProblems(wire.attachments[0].content)).toEqual([]);
  return wire.attachments[0].content;
}

const texts = (card: AdaptiveCard) => card.body.flatMap((b) => (b.type === 'TextBlock' ? [b.text] : []));
const facts = (card: AdaptiveCard) => card.body.flatMap((b) => (b.type === 'FactSet' ? b.facts : []));

describe('Teams card of a notification', () => {
  it('has the title and status, impact and components as facts, the update, the links and an OpenUrl action', () => {
    const card = parsed(teamsMessage(channelInput()));
    expect(card.version).toBe('1.5');
    expect(texts(card)[1]).toBe('API errors — Identified');
    expect(facts(card)).toEqual([
      { title: 'Impact', value: 'Major impact' },
      { title: 'Status', value: 'Identified' },
      { title: 'API', value: 'Major Outage' },
      { title: 'Web', value: 'Operational' },
    ]);
    expect(texts(card)).toContain(
      'The cause is **a bad deploy**; rolling back. See [the runbook](https://example.com/run).',
    );
    expect(texts(card).at(-1)).toBe(
      `[Manage subscription](${BASE}/subscriptions/manage?token=1.1.abc) · [Unsubscribe](${BASE}/subscriptions/unsubscribe?token=1.1.abc)`,
    );
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'View incident', url: `${BASE}/incidents/abc123#update-u2` },
    ]);
  });

  it('parses for every event, and one it does not know', () => {
    const maintenance = {
      kind: 'maintenance' as const,
      status: 'in_progress' as const,
      scheduled_for: '2026-11-24T22:00:00.000Z',
      scheduled_until: '2026-11-25T01:00:00.000Z',
      postmortem_body: 'What went _wrong_.',
      postmortem_published_at: '2026-11-26T09:00:00.000Z',
    };
    for (const event of [...EVENTS, 'something.new' as never]) {
      const card = parsed(
        teamsMessage(channelInput({ event, incident: event.startsWith('maintenance') ? maintenance : {} })),
      );
      expect(texts(card)[0]).toMatch(
        /^Acme Status · [A-Z][a-z]+ [a-z ]+ · \{\{DATE\(2026-11-2\dT\d\d:\d\d:00Z, SHORT\)\}\}/,
      );
    }
  });

  it('shows a maintenance window with the card’s date and time functions', () => {
    const card = parsed(
      teamsMessage(
        channelInput({
          event: 'maintenance.scheduled',
          incident: {
            kind: 'maintenance',
            scheduled_for: '2026-11-24T22:00:00.000Z',
            scheduled_until: '2026-11-25T01:00:00.000Z',
          },
        }),
      ),
    );
    expect(facts(card)).toContainEqual({
      title: 'Window',
      value:
        '{{DATE(2026-11-24T22:00:00Z, SHORT)}} {{TIME(2026-11-24T22:00:00Z)}} – {{DATE(2026-11-25T01:00:00Z, SHORT)}} {{TIME(2026-11-25T01:00:00Z)}}',
    });
    expect(card.actions[0]?.title).toBe('View maintenance');
  });

  it('cuts a 10,000-character update between words and links to the rest', () => {
    const body = 'word '.repeat(2000);
    const update = texts(parsed(teamsMessage(channelInput({ body })))).find((t) => t.startsWith('word')) ?? '';
    expect(update.length).toBeLessThanOrEqual(3000);
    expect(update).toMatch(/word… \[Read more\]\(https:\/\/status\.example\.com\/incidents\/abc123#update-u2\)$/);
  });

  it('lists 25 of 60 components and counts the rest', () => {
    const components = Array.from({ length: 60 }, (_, i) => component(`c${i}`, 'degraded_performance', `S${i}`));
    const card = parsed(teamsMessage(channelInput({ components })));
    expect(facts(card)).toHaveLength(2 + 25 + 1);
    expect(facts(card).at(-1)).toEqual({ title: '…', value: 'and 35 more components' });
  });
});

describe('update markdown as Adaptive Card text', () => {
  it('keeps bold, italics, lists and links, and flattens what cards cannot show', () => {
    expect(teamsMarkdown('# Cause\n\n**b** *e* ~~s~~ `c`\n\n- one\n- two\n\n1. a\n2. b\n\n> q')).toBe(
      '**Cause**\n\n**b** _e_ s c\n\n- one\n- two\n\n1. a\n2. b\n\nq',
    );
  });

  it('keeps link syntax intact whatever the text and address hold', () => {
    expect(teamsMarkdown('[a [b] c](https://example.com/x_(y))')).toBe('[a b c](https://example.com/x_%28y%29)');
    expect(teamsMarkdown('[home](/)', BASE)).toBe(`[home](${BASE}/)`);
    expect(teamsMarkdown('[js](javascript:alert(1))')).toBe('[js](javascript:alert(1))');
  });
});

describe('Teams confirmation and test messages', () => {
  it('posts the confirmation code with an action to where it is entered', () => {
    const card = parsed(
      teamsConfirmationMessage({
        pageName: 'Acme Status',
        code: '482913',
        manageUrl: `${BASE}/subscriptions/confirm?s=1`,
      }),
    );
    expect(texts(card)).toContain('482913');
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open the subscription page', url: `${BASE}/subscriptions/confirm?s=1` },
    ]);
  });

  it('says what a test message is, with the page status and the subscriber’s links', () => {
    const card = parsed(
      teamsTestMessage({
        pageName: 'Acme Status',
        baseUrl: BASE,
        pageStatus: { indicator: 'minor', description: 'Minor Service Outage' },
        links: { manage: `${BASE}/m`, unsubscribe: `${BASE}/u` },
      }),
    );
    expect(texts(card)[1]).toBe(
      'This channel receives **Acme Status** updates. Current status: **Minor Service Outage**.',
    );
    expect(card.actions[0]?.url).toBe(`${BASE}/`);
  });
});

describe('the card check', () => {
  it('fails a card the library would not accept', () => {
    const bad = teamsTestMessage({
      pageName: 'P',
      baseUrl: BASE,
      pageStatus: { indicator: 'none', description: 'All Systems Operational' },
      links: { manage: `${BASE}/m`, unsubscribe: `${BASE}/u` },
    });
    const content = bad.attachments[0].content;
    (content.body[0] as { size: string }).size = 'Huge';
    (content.body[1] as { colour?: string }).colour = 'red';
    const problems = cardProblems(content);
    expect(problems).toContain('Invalid value "Huge" for property "size".');
    expect(problems.at(-1)).toMatch(/^not kept as sent: /);
  });
});
