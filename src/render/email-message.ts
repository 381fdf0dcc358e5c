import type { NotifyEvent } from '../db/schema.ts';
import { COMPONENT_STATUS_LABELS } from '../domain/component-status.ts';
import { STATUS_LABELS } from '../domain/incident.ts';
import type { IncidentView } from '../services/incident-view.ts';
import { formatTime } from './format.ts';
import { MAIL_STYLES } from './mail-styles.ts';
import { renderMarkdown } from './markdown.ts';
import { composeMime, MANAGE_SLOT, type MimeTemplate, UNSUBSCRIBE_SLOT } from './mime.ts';
import { incidentLink } from '../domain/public-link.ts';
import { escapeHtml } from './escape-html.ts';
import { reminderWords } from './maintenance-reminder.ts';

/** What every recipient of one notification shares; links are added per subscriber. */
export type EmailTemplate = {
  subject: string;
  messageId: string;
  threadRoot: string | null;
  text: string;
  /** Without its footer and closing tags: personalEmail appends them. */
  html: string;
};

function statusWord(event: NotifyEvent, incident: IncidentView, updateStatus: string | null): string {
  if (event === 'postmortem.published') return 'Postmortem published';
  if (incident.cancelled_at && event === 'maintenance.completed') return 'Cancelled';
  if (event === 'maintenance.scheduled') return 'Scheduled maintenance';
  if (event === 'maintenance.reminder') return 'Reminder';
  return updateStatus
    ? (STATUS_LABELS[updateStatus as keyof typeof STATUS_LABELS] ?? updateStatus)
    : STATUS_LABELS[incident.status];
}

/**
 * The mail for one notification. Message-IDs are stable per update, and every mail about an
 * incident points at the first one (In-Reply-To, References) so mail clients thread them.
 */
export function emailTemplate(input: {
  pageName: string;
  /** The public base address, as publicBase() gives it: no trailing slash. */
  baseUrl: string;
  timeZone: string;
  incident: IncidentView;
  updateId: string | null;
  event: NotifyEvent;
}): EmailTemplate {
  const { incident, pageName, timeZone } = input;
  const host = new URL(input.baseUrl).hostname || 'herald.local';
  const update = input.updateId ? incident.incident_updates.find((u) => u.id === input.updateId) : undefined;
  const first = incident.incident_updates.at(-1);
  const permalink = incidentLink(input.baseUrl, incident.code, update?.id);
  const word = statusWord(input.event, incident, update?.status ?? null);
  // A reminder has no update of its own: it repeats the window's latest words under its own line.
  const reminder = input.event === 'maintenance.reminder' ? reminderWords(incident, timeZone) : null;
  const body =
    input.event === 'postmortem.published'
      ? (incident.postmortem_body ?? '')
      : reminder
        ? (incident.incident_updates[0]?.body ?? '')
        : (update?.body ?? '');
  const when = formatTime(update?.created_at ?? (reminder && incident.reminded_at) ?? incident.updated_at, timeZone);
  const components = incident.components.map((c) => `${c.name}: ${COMPONENT_STATUS_LABELS[c.status]}`);
  const window =
    incident.kind === 'maintenance' && incident.scheduled_for && incident.scheduled_until
      ? `Window: ${formatTime(incident.scheduled_for, timeZone)} – ${formatTime(incident.scheduled_until, timeZone)}`
      : null;
  const messageId = `<${
    input.updateId
      ? `update-${input.updateId}`
      : reminder
        ? `reminder-${incident.id}-${Date.parse(incident.reminded_at ?? incident.updated_at)}`
        : `postmortem-${incident.id}`
  }@${host}>`;
  const rootId = first ? `<update-${first.id}@${host}>` : null;
  const text = [
    `${word} — ${incident.name}`,
    when,
    '',
    ...(reminder ? [`${reminder.sentence}.`, ''] : []),
    body,
    '',
    ...(window ? [window] : []),
    ...(components.length ? ['Current status:', ...components.map((c) => `  ${c}`), ''] : []),
    `Follow this ${incident.kind === 'maintenance' ? 'maintenance' : 'incident'}: ${permalink}`,
  ].join('\n');
  const html = `<!doctype html><html><body style="${MAIL_STYLES.body}">
<p style="${MAIL_STYLES.muted}">${escapeHtml(pageName)}</p>
<h1 style="${MAIL_STYLES.heading}">${escapeHtml(word)}: ${escapeHtml(incident.name)}</h1>
<p style="${MAIL_STYLES.muted}">${escapeHtml(when)}</p>
${reminder ? `<p><strong>${escapeHtml(reminder.sentence)}.</strong></p>` : ''}
<div>${renderMarkdown(body)}</div>
${window ? `<p>${escapeHtml(window)}</p>` : ''}
${components.length ? `<p><strong>Current status</strong><br>${components.map(escapeHtml).join('<br>')}</p>` : ''}
<p><a href="${escapeHtml(permalink)}">Follow this ${incident.kind === 'maintenance' ? 'maintenance' : 'incident'} on the status page</a></p>`;
  return {
    subject: reminder
      ? `[${pageName}] Reminder: ${incident.name} starts at ${reminder.startsAt} (${reminder.lead})`
      : `[${pageName}] ${incident.name}: ${word}`,
    messageId,
    threadRoot: rootId && rootId !== messageId ? rootId : null,
    text,
    html,
  };
}

/** The footer every subscriber's mail ends with: their own manage and unsubscribe links. */
export function emailFooter(manageLink: string, unsubscribeLink: string): { text: string; html: string } {
  return {
    text: `\n\n--\nChoose components or unsubscribe: ${manageLink}\nUnsubscribe now: ${unsubscribeLink}\n`,
    html: `<hr style="${MAIL_STYLES.rule}"><p style="${MAIL_STYLES.footer}">You receive this because you subscribed to these updates. <a href="${manageLink}">Choose components</a> · <a href="${unsubscribeLink}">Unsubscribe</a></p>`,
  };
}

/**
 * The template as MIME with slots for each subscriber's address and links (src/render/mime.ts).
 * NULs are dropped from what editors wrote, so nothing they type can look like a slot.
 */
export function emailMime(template: EmailTemplate, from: string, date: Date): MimeTemplate {
  const clean = (s: string) => s.replaceAll('\u0000', '');
  const footer = emailFooter(MANAGE_SLOT, UNSUBSCRIBE_SLOT);
  return composeMime({
    from,
    subject: clean(template.subject),
    messageId: template.messageId,
    ...(template.threadRoot ? { inReplyTo: template.threadRoot } : {}),
    date,
    text: clean(template.text) + footer.text,
    html: `${clean(template.html)}\n${footer.html}\n</body></html>`,
  });
}

/** The mail as a subscriber would read it, for the composer's preview (links go nowhere). */
export function finishedEmail(template: EmailTemplate): { subject: string; text: string; html: string } {
  const footer = emailFooter('#manage', '#unsubscribe');
  return {
    subject: template.subject,
    text: template.text + footer.text,
    html: `${template.html}\n${footer.html}\n</body></html>`,
  };
}
