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
import { absoluteUrl, escapeSlack, slackLink, slackMrkdwn } from './slack-mrkdwn.ts';

export type PlainText = { type: 'plain_text'; text: string; emoji: boolean };
export type Mrkdwn = { type: 'mrkdwn'; text: string };
export type Button = { type: 'button'; text: PlainText; url: string; action_id: string };
export type Block =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: Mrkdwn }
  | { type: 'section'; fields: Mrkdwn[] }
  | { type: 'actions'; elements: Button[] }
  | { type: 'context'; elements: Mrkdwn[] };
/** An incoming webhook's body: `text` is what notifications and old clients show. */
export type SlackMessage = { text: string; blocks: Block[] };

/** Block Kit's documented limits for what is sent here (https://api.slack.com/reference/block-kit). */
export const SLACK_LIMITS = { header: 150, section: 3000, field: 2000, fields: 10, buttonText: 75, url: 3000 };

/** At most `max` UTF-16 units, "…" last when cut, never half of a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '');
  return `${cut.trimEnd()}…`;
}

const plain = (text: string): PlainText => ({ type: 'plain_text', text, emoji: true });
const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text });

/** Shown in each reader's own time zone; the fallback is what clients without dates show. */
function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  const fallback = `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return Number.isFinite(seconds) ? `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>` : escapeSlack(fallback);
}

/** A URL Slack accepts for a button: absolute, http(s) and within its length. */
const buttonUrl = (url: string) => {
  const safe = absoluteUrl(url);
  return safe && safe.length <= SLACK_LIMITS.url && /^https?:/.test(safe) ? safe : null;
};

const linkButton = (label: string, url: string, actionId: string): Block[] => {
  const safe = buttonUrl(url);
  return safe
    ? [{ type: 'actions', elements: [{ type: 'button', text: plain(label), url: safe, action_id: actionId }] }]
    : [];
};

/** The subscriber's own links, last: the manage page and a one-click unsubscribe. */
function linksContext(links: SubscriberLinks): Block[] {
  const parts = [
    ...(absoluteUrl(links.manage) ? [slackLink(links.manage, 'Manage subscription')] : []),
    ...(absoluteUrl(links.unsubscribe) ? [slackLink(links.unsubscribe, 'Unsubscribe')] : []),
  ];
  const text = parts.join(' · ');
  return text && text.length <= SLACK_LIMITS.section ? [{ type: 'context', elements: [mrkdwn(text)] }] : [];
}

/** "• API: Operational → Major Outage", one a line, then how many did not fit. */
function componentsSection(input: ChannelMessageInput): Block[] {
  const components = affectedComponents(input);
  if (!components.length) return [];
  const room = SLACK_LIMITS.section - 40; // kept for the "…and N more" line
  let text = '*Affected components*';
  let shown = 0;
  for (const c of components) {
    const line = `\n• ${escapeSlack(clip(c.name, 200))}: ${c.label}`;
    if (text.length + line.length > room) break;
    text += line;
    shown++;
  }
  if (shown < components.length) text += `\n…and ${components.length - shown} more`;
  return [{ type: 'section', text: mrkdwn(text) }];
}

/** The update's text as mrkdwn, cut between words with a link to the rest when too long. */
function bodySection(input: ChannelMessageInput): Block[] {
  const body = messageBody(input);
  if (!body.trim()) return [];
  const readMore = `… ${slackLink(input.links.permalink, 'Read more')}`;
  const suffix = readMore.length <= SLACK_LIMITS.section / 2 ? readMore : '…';
  const text = fitConverted(body, SLACK_LIMITS.section, (s) => slackMrkdwn(s, input.baseUrl), suffix);
  return text.trim() ? [{ type: 'section', text: mrkdwn(text) }] : [];
}

/** One notification as Block Kit, within Block Kit's limits whatever the incident's size. */
export function slackMessage(input: ChannelMessageInput): SlackMessage {
  const { incident } = input;
  const status = statusLabel(input);
  const headline = eventHeadline(input);
  const window = maintenanceWindow(incident);
  const fields = [
    mrkdwn(`*Impact*\n${impactLabel(incident)}`),
    mrkdwn(`*Status*\n${status}`),
    ...(window ? [mrkdwn(`*Window*\n${slackDate(window.from)} – ${slackDate(window.until)}`)] : []),
  ];
  const titleRoom = SLACK_LIMITS.header - status.length - 3;
  return {
    text: escapeSlack(clip(`${headline}: ${incident.name} (${status}) · ${input.pageName}`, SLACK_LIMITS.section)),
    blocks: [
      { type: 'header', text: plain(`${clip(incident.name, titleRoom)} — ${status}`) },
      {
        type: 'context',
        elements: [mrkdwn(`${escapeSlack(clip(input.pageName, 200))} · ${headline} · ${slackDate(eventTime(input))}`)],
      },
      { type: 'section', fields },
      ...componentsSection(input),
      ...bodySection(input),
      ...linkButton(
        incident.kind === 'maintenance' ? 'View maintenance' : 'View incident',
        input.links.permalink,
        'herald_open_permalink',
      ),
      ...linksContext(input.links),
    ],
  };
}

/** Posted into the channel when it subscribes: the code proves the subscriber can read it. */
export function slackConfirmationMessage(input: { pageName: string; code: string; manageUrl: string }): SlackMessage {
  const page = escapeSlack(clip(input.pageName, 200));
  const code = escapeSlack(clip(input.code, 100));
  const where = absoluteUrl(input.manageUrl) ? slackLink(input.manageUrl, 'the subscription page') : 'the status page';
  return {
    text: `Your ${page} confirmation code: ${code}`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`To send *${page}* updates to this channel, enter this code on ${where}:\n*${code}*`),
      },
      {
        type: 'context',
        elements: [mrkdwn('Not expecting this? Ignore it: nothing more is posted here until the code is entered.')],
      },
    ],
  };
}

/** "send test" in the console and a subscriber's own test: what updates will look like, and where to stop them. */
export function slackTestMessage(input: ChannelPageInput): SlackMessage {
  const page = escapeSlack(clip(input.pageName, 200));
  return {
    text: `Test message from ${page}`,
    blocks: [
      { type: 'header', text: plain(clip(`Test message from ${input.pageName}`, SLACK_LIMITS.header)) },
      {
        type: 'section',
        text: mrkdwn(
          `This channel receives *${page}* updates. Current status: *${escapeSlack(input.pageStatus.description)}*.`,
        ),
      },
      ...linkButton('View status page', input.baseUrl, 'herald_open_page'),
      ...linksContext(input.links),
    ],
  };
}
