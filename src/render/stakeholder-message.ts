/**
 * An internal stakeholder message in each channel's words: a plain mail (text and HTML), a Slack
 * incoming-webhook body ({text, blocks}) and a Teams Workflows card. The message itself was
 * decided when the event happened (src/services/stakeholder-messages.ts); only the console link
 * is made absolute here, from the console's own origin.
 */
import { provenance, type StakeholderPayload } from '../domain/stakeholder-message.ts';
import { fitConverted } from './channel-message.ts';
import { escapeHtml } from './escape-html.ts';
import { formatTime } from './format.ts';
import { renderMarkdown } from './markdown.ts';
import { clip, SLACK_LIMITS, type SlackMessage } from './slack-message.ts';
import { escapeSlack, slackLink, slackMrkdwn } from './slack-mrkdwn.ts';
import {
  TEAMS_TEXT_LIMIT,
  type TeamsMessage,
  type TextBlock,
  teamsMarkdown,
  adaptiveCardMessage,
} from './teams-card.ts';

export type StakeholderMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
};

export function consoleLink(message: StakeholderPayload, consoleBase: string): string {
  return `${consoleBase.replace(/\/+$/, '')}${message.path}`;
}

function when(message: StakeholderPayload): string {
  try {
    return formatTime(message.at, message.timeZone);
  } catch {
    return `${message.at.slice(0, 16).replace('T', ' ')} UTC`;
  }
}

/** The plain text: what happened, the status, the words as written, who and where it went, the link. */
export function stakeholderText(message: StakeholderPayload, consoleBase: string): string {
  return [
    `${message.title} — ${message.severity}`,
    `Status: ${message.status}`,
    `${provenance(message)} ${when(message)}.`,
    '',
    message.body.trim(),
    '',
    `Open it in the console: ${consoleLink(message, consoleBase)}`,
    '',
  ].join('\n');
}

export function stakeholderMail(to: string, message: StakeholderPayload, consoleBase: string): StakeholderMail {
  const link = consoleLink(message, consoleBase);
  const muted = 'color:#4b5563';
  return {
    to,
    subject: message.subject,
    text: stakeholderText(message, consoleBase),
    html:
      `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">` +
      `<p style="${muted}">${escapeHtml(message.pageName)} · ${escapeHtml(message.severity)}</p>` +
      `<h1 style="font-size:1.25rem">${escapeHtml(message.title)} — ${escapeHtml(message.status)}</h1>` +
      `<p><strong>${escapeHtml(provenance(message))}</strong> ${escapeHtml(when(message))}.</p>` +
      `<div>${renderMarkdown(message.body)}</div>` +
      `<p><a href="${escapeHtml(link)}">Open it in the console</a></p>` +
      `</body></html>`,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

/** Block Kit within its limits; `text` is what notifications and old clients show. */
export function stakeholderSlack(message: StakeholderPayload, consoleBase: string): SlackMessage {
  const link = consoleLink(message, consoleBase);
  const header = `${message.title} — ${message.status}`;
  const readMore = `… ${slackLink(link, 'Read more')}`;
  const body = message.body.trim()
    ? fitConverted(message.body, SLACK_LIMITS.section, (s) => slackMrkdwn(s, consoleBase), readMore)
    : '';
  return {
    text: escapeSlack(clip(`${message.subject} (${message.status})`, SLACK_LIMITS.section)),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(header, SLACK_LIMITS.header), emoji: true } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: escapeSlack(clip(`${message.pageName} · ${message.severity} · ${when(message)}`, 500)),
          },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(clip(provenance(message), 500))}*` } },
      ...(body.trim() ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: body } }] : []),
      ...(/^https?:/.test(link) && link.length <= SLACK_LIMITS.url
        ? [
            {
              type: 'actions' as const,
              elements: [
                {
                  type: 'button' as const,
                  text: { type: 'plain_text' as const, text: 'Open in the console', emoji: true },
                  url: link,
                  action_id: 'herald_open_console',
                },
              ],
            },
          ]
        : []),
    ],
  };
}

const textBlock = (text: string, more: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock => ({
  type: 'TextBlock',
  text,
  wrap: true,
  ...more,
});

/** An Adaptive Card 1.5 in a Teams Workflows message. */
export function stakeholderTeams(message: StakeholderPayload, consoleBase: string): TeamsMessage {
  const link = consoleLink(message, consoleBase);
  const readMore = `… [Read more](${link})`;
  const body = message.body.trim()
    ? fitConverted(message.body, TEAMS_TEXT_LIMIT, (s) => teamsMarkdown(s, consoleBase), readMore)
    : '';
  return adaptiveCardMessage({
    body: [
      textBlock(`${message.pageName} · ${message.severity} · ${when(message)}`, {
        isSubtle: true,
        size: 'Small',
      }),
      textBlock(`${message.title} — ${message.status}`, { style: 'heading', weight: 'Bolder', size: 'Large' }),
      {
        type: 'FactSet',
        facts: [
          { title: 'Severity', value: message.severity },
          { title: 'Status', value: message.status },
          { title: 'By', value: message.author },
          { title: 'Published', value: message.internal ? 'No, internal' : 'Yes, on the status page' },
        ],
      },
      ...(body.trim() ? [textBlock(body)] : []),
    ],
    actions: /^https?:/.test(link) ? [{ type: 'Action.OpenUrl', title: 'Open in the console', url: link }] : [],
  });
}
