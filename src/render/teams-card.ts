import {
  affectedComponents,
  type ChannelMessageInput,
  type ChannelPageInput,
  eventHeadline,
  eventTime,
  fitConverted,
  impactLabel,
  maintenanceWindow,
  messageBody,
  statusLabel,
  type SubscriberLinks,
} from './channel-message.ts';
import { absoluteUrl, convertMarkdown, type MarkupDialect } from './slack-mrkdwn.ts';

export type TextBlock = {
  type: 'TextBlock';
  text: string;
  wrap: true;
  weight?: 'Bolder';
  size?: 'Small' | 'Large' | 'ExtraLarge';
  isSubtle?: boolean;
  style?: 'heading';
  fontType?: 'Monospace';
};
export type FactSet = { type: 'FactSet'; facts: Array<{ title: string; value: string }> };
export type OpenUrl = { type: 'Action.OpenUrl'; title: string; url: string };
export type AdaptiveCard = {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  type: 'AdaptiveCard';
  version: '1.5';
  body: Array<TextBlock | FactSet>;
  actions: OpenUrl[];
};
/** What a Teams Workflows webhook ("when a webhook request is received") posts as a card. */
export type TeamsMessage = {
  type: 'message';
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: AdaptiveCard }];
};

/** Longer updates end with a link to the page: a card is read at a glance, and Teams caps a message's size. */
export const TEAMS_TEXT_LIMIT = 3000;
/** Facts beyond these are counted, not listed. */
export const TEAMS_MAX_COMPONENTS = 25;

const percent = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

// Adaptive Cards' markdown is a CommonMark subset: **bold**, _italic_, lists and [links](url).
// Headings become bold lines; code, quotes and strike-through become plain text. Literal text is
// left unescaped: Teams' clients disagree on backslash escapes (some show the backslash).
const TEAMS_DIALECT: MarkupDialect = {
  text: (s) => s,
  strong: '**',
  em: '_',
  strike: '',
  code: (s) => s,
  link: (url, text) => `[${text.replace(/[[\]]/g, '')}](${url.replace(/[()<>\s]/g, percent)})`,
  heading: (s) => (s.trim() ? `**${s.trim()}**` : ''),
  quote: (block) => block,
  codeBlock: (s) => s,
  rule: '———',
  bullet: '-',
};

/** Herald's update markdown in the Adaptive Card TextBlock subset. */
export function teamsMarkdown(markdown: string, base?: string): string {
  return convertMarkdown(markdown, TEAMS_DIALECT, base);
}

/** Localised on each reader's device; the format (no milliseconds) is the one cards require. */
const cardDate = (iso: string) => {
  const time = `${iso.slice(0, 19)}Z`;
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(time) ? `{{DATE(${time}, SHORT)}} {{TIME(${time})}}` : iso;
};

const text = (t: string, more: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock => ({
  type: 'TextBlock',
  text: t,
  wrap: true,
  ...more,
});

const openUrl = (title: string, url: string): OpenUrl[] => {
  const safe = absoluteUrl(url);
  return safe && /^https?:/.test(safe) ? [{ type: 'Action.OpenUrl', title, url: safe }] : [];
};

function linksBlock(links: SubscriberLinks): TextBlock[] {
  const parts = [
    ...(absoluteUrl(links.manage) ? [TEAMS_DIALECT.link(links.manage, 'Manage subscription')] : []),
    ...(absoluteUrl(links.unsubscribe) ? [TEAMS_DIALECT.link(links.unsubscribe, 'Unsubscribe')] : []),
  ];
  return parts.length ? [text(parts.join(' · '), { isSubtle: true, size: 'Small' })] : [];
}

/** An Adaptive Card as a Teams incoming webhook takes it: every card Herald posts goes through here. */
export function adaptiveCardMessage(card: Omit<AdaptiveCard, '$schema' | 'type' | 'version'>): TeamsMessage {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.5',
          ...card,
        },
      },
    ],
  };
}

function facts(input: ChannelMessageInput): FactSet {
  const window = maintenanceWindow(input.incident);
  const components = affectedComponents(input);
  const listed = components.slice(0, TEAMS_MAX_COMPONENTS);
  return {
    type: 'FactSet',
    facts: [
      { title: 'Impact', value: impactLabel(input.incident) },
      { title: 'Status', value: statusLabel(input) },
      ...(window ? [{ title: 'Window', value: `${cardDate(window.from)} – ${cardDate(window.until)}` }] : []),
      ...listed.map((c) => ({ title: c.name, value: c.label })),
      ...(components.length > listed.length
        ? [{ title: '…', value: `and ${components.length - listed.length} more components` }]
        : []),
    ],
  };
}

/** One notification as an Adaptive Card 1.5 in a Teams message. */
export function teamsMessage(input: ChannelMessageInput): TeamsMessage {
  const { incident } = input;
  const body = messageBody(input);
  const readMore = `… ${TEAMS_DIALECT.link(input.links.permalink, 'Read more')}`;
  const update = body.trim()
    ? fitConverted(body, TEAMS_TEXT_LIMIT, (s) => teamsMarkdown(s, input.baseUrl), readMore)
    : '';
  return adaptiveCardMessage({
    body: [
      text(`${input.pageName} · ${eventHeadline(input)} · ${cardDate(eventTime(input))}`, {
        isSubtle: true,
        size: 'Small',
      }),
      text(`${incident.name} — ${statusLabel(input)}`, { style: 'heading', weight: 'Bolder', size: 'Large' }),
      facts(input),
      ...(update.trim() ? [text(update)] : []),
      ...linksBlock(input.links),
    ],
    actions: openUrl(incident.kind === 'maintenance' ? 'View maintenance' : 'View incident', input.links.permalink),
  });
}

/** Posted into the channel when it subscribes: the code proves the subscriber can read it. */
export function teamsConfirmationMessage(input: { pageName: string; code: string; manageUrl: string }): TeamsMessage {
  return adaptiveCardMessage({
    body: [
      text(`Confirm ${input.pageName} updates in this channel`, { style: 'heading', weight: 'Bolder', size: 'Large' }),
      text('Enter this code on the subscription page:'),
      text(input.code, { weight: 'Bolder', size: 'ExtraLarge', fontType: 'Monospace' }),
      text('Not expecting this? Ignore it: nothing more is posted here until the code is entered.', {
        isSubtle: true,
        size: 'Small',
      }),
    ],
    actions: openUrl('Open the subscription page', input.manageUrl),
  });
}

/** "send test" in the console and a subscriber's own test: what updates will look like, and where to stop them. */
export function teamsTestMessage(input: ChannelPageInput): TeamsMessage {
  return adaptiveCardMessage({
    body: [
      text(`Test message from ${input.pageName}`, { style: 'heading', weight: 'Bolder', size: 'Large' }),
      text(`This channel receives **${input.pageName}** updates. Current status: **${input.pageStatus.description}**.`),
      ...linksBlock(input.links),
    ],
    actions: openUrl('View status page', input.baseUrl),
  });
}
