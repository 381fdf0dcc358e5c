import { type Impact, type IncidentStatus, STATUS_LABELS } from '../domain/incident.ts';
import { COMMAND_USAGE } from '../domain/slack-command.ts';
import { fitConverted } from './channel-message.ts';
import { type Block, clip, SLACK_LIMITS } from './slack-message.ts';
import { absoluteUrl, escapeSlack, slackLink, slackMrkdwn } from './slack-mrkdwn.ts';

/** An incident as a reply shows it; `url` is its public permalink. */
export type CommandIncident = { code: string; name: string; status: IncidentStatus; impact: Impact; url: string };
/** A draft suggested from alerts, not yet public. */
export type CommandDraft = { id: string; name: string; impact: Impact };

/** The answer to a slash command, sent as the HTTP response or later to `response_url`. */
export type SlackCommandReply = { response_type: 'ephemeral' | 'in_channel'; text: string; blocks: Block[] };

export type CommandResult = {
  action: 'created' | 'updated' | 'resolved' | 'approved' | 'held';
  incident: CommandIncident;
  /** The update's text (markdown), shown under the headline. */
  message?: string | null;
};

const IMPACT_WORDS: Record<Impact, string> = {
  none: 'No impact',
  minor: 'Minor',
  major: 'Major',
  critical: 'Critical',
};
const HEADLINES: Record<CommandResult['action'], string> = {
  created: 'Incident created',
  updated: 'Incident updated',
  resolved: 'Incident resolved',
  approved: 'Draft approved and published',
  held: "Update waiting for another member's approval in the console",
};

const section = (text: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(text, SLACK_LIMITS.section) },
});
const context = (text: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

// Names are clipped before escaping, so an entity is never cut in half.
const name = (s: string, max = 200) => escapeSlack(clip(s.replace(/\s+/g, ' ').trim(), max));
const code = (s: string) => `\`${name(s, 64)}\``;
const linked = (incident: CommandIncident) =>
  absoluteUrl(incident.url) ? slackLink(incident.url, clip(incident.name, 200)) : name(incident.name);
const facts = (incident: CommandIncident) => `${STATUS_LABELS[incident.status]}, ${IMPACT_WORDS[incident.impact]}`;

/** Every subcommand with its syntax, for `help`, an empty command or an unknown one. */
export function usageReply(command = '/status'): SlackCommandReply {
  const lines = COMMAND_USAGE.map((u) => `\`${name(`${command} ${u.syntax}`)}\`\n${escapeSlack(u.summary)}`);
  const example = `${command} create major "Web app",API Login fails for some users`;
  return {
    response_type: 'ephemeral',
    text: `How to use ${name(command)}`,
    blocks: [
      section(`*How to use ${name(command)}*`),
      section(lines.join('\n\n')),
      context(`Example: \`${name(example)}\``),
    ],
  };
}

/** Only the person who typed the command sees it; `usage` is the syntax to show below. */
export function errorReply(message: string, usage?: string): SlackCommandReply {
  // Short before escaping: five characters per & still fit a section.
  const text = escapeSlack(clip(message, 500));
  const usageLines = usage?.trim()
    ? [
        context(
          clip(
            `Usage:\n${usage
              .split('\n')
              .map((l) => `\`${name(l)}\``)
              .join('\n')}`,
            SLACK_LIMITS.section,
          ),
        ),
      ]
    : [];
  return { response_type: 'ephemeral', text, blocks: [section(`:warning: ${text}`), ...usageLines] };
}

/** Posted in the channel: "Incident created: <permalink|title> — Investigating, Major". */
export function resultReply(result: CommandResult): SlackCommandReply {
  const { incident } = result;
  const headline = `${HEADLINES[result.action]}: ${linked(incident)} — ${facts(incident)}`;
  // Cut between words of the markdown, not in the middle of an entity or a link.
  const more = absoluteUrl(incident.url) ? `… ${slackLink(incident.url, 'Read more')}` : '…';
  const body = result.message?.trim() ? fitConverted(result.message, SLACK_LIMITS.section, slackMrkdwn, more) : '';
  return {
    // Words still waiting for approval are shown to their author only, never to the channel.
    response_type: result.action === 'held' ? 'ephemeral' : 'in_channel',
    text: `${HEADLINES[result.action]}: ${name(incident.name)} — ${facts(incident)}`,
    blocks: [section(headline), ...(body.trim() ? [section(body)] : []), context(`Incident ${code(incident.code)}`)],
  };
}

// Two heading sections, two "…and N more" lines and one for the console link leave 45 for the items.
const ITEM_BLOCKS = 45;

/** How many of each list fit: each gets half, and what one does not use goes to the other. */
function share(incidents: number, drafts: number): [number, number] {
  const half = Math.floor(ITEM_BLOCKS / 2);
  const shownIncidents = Math.min(incidents, Math.max(half, ITEM_BLOCKS - drafts));
  return [shownIncidents, Math.min(drafts, ITEM_BLOCKS - shownIncidents)];
}

/** Open incidents and drafts, a section each; only the asker sees it. */
export function listReply(
  incidents: readonly CommandIncident[],
  drafts: readonly CommandDraft[],
  options: { command?: string; consoleUrl?: string } = {},
): SlackCommandReply {
  const command = options.command ?? '/status';
  const [shownIncidents, shownDrafts] = share(incidents.length, drafts.length);
  const more = (total: number, shown: number, what: string) =>
    total > shown ? [context(`…and ${total - shown} more ${what}`)] : [];
  const blocks: Block[] = [];

  if (incidents.length) {
    blocks.push(section(`*Open incidents (${incidents.length})*`));
    for (const i of incidents.slice(0, shownIncidents))
      blocks.push(section(`*${linked(i)}*\n${code(i.code)} · ${facts(i)}`));
    blocks.push(...more(incidents.length, shownIncidents, 'open incidents'));
  }
  if (drafts.length) {
    blocks.push(section(`*Drafts waiting for approval (${drafts.length})*`));
    for (const d of drafts.slice(0, shownDrafts))
      blocks.push(
        section(
          `*${name(d.name)}*\nDraft ${code(d.id)} · ${IMPACT_WORDS[d.impact]} · approve with \`${name(command, 80)} approve ${name(d.id, 64)}\``,
        ),
      );
    blocks.push(...more(drafts.length, shownDrafts, 'drafts'));
  }
  const cut = shownIncidents < incidents.length || shownDrafts < drafts.length;
  if (cut && options.consoleUrl && absoluteUrl(options.consoleUrl))
    blocks.push(context(`See them all in ${slackLink(options.consoleUrl, 'the console')}.`));
  if (!blocks.length) blocks.push(section('No open incidents and no drafts. All quiet.'));

  const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  return {
    response_type: 'ephemeral',
    text: `${count(incidents.length, 'open incident')}, ${count(drafts.length, 'draft')}`,
    blocks,
  };
}
