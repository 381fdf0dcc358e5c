import type { NotifyEvent } from '../db/schema.ts';
import { COMPONENT_STATUS_KEYS, INCIDENT_STATUS_KEYS } from '../i18n/labels.ts';
import type { Translate } from '../i18n/translate.ts';
import type { IncidentView } from '../services/incident-view.ts';
import { MAIL_STYLES } from './mail-styles.ts';
import { renderMarkdown } from './markdown.ts';
import { composeMime, MANAGE_SLOT, type MimeTemplate, UNSUBSCRIBE_SLOT } from './mime.ts';
import { escapeHtml } from './escape-html.ts';
import { reminderWords } from './maintenance-reminder.ts';
import { type Reader, readerIncidentLink, readerTime } from './reader.ts';

/**
 * What every recipient of one notification in one language shares; links are added per
 * subscriber. Rendered once per language the audience reads, never once per subscriber.
 */
export type EmailTemplate = {
  /** Whom it is written for: the footer is worded in the same language. */
  reader: Reader;
  subject: string;
  messageId: string;
  threadRoot: string | null;
  text: string;
  /** Without its footer and closing tags: personalEmail appends them. */
  html: string;
};

function statusWord(event: NotifyEvent, incident: IncidentView, updateStatus: string | null, t: Translate): string {
  if (event === 'postmortem.published') return t('notify.word.postmortem');
  if (incident.cancelled_at && event === 'maintenance.completed') return t('notify.word.cancelled');
  if (event === 'maintenance.scheduled') return t('notify.word.scheduled');
  if (event === 'maintenance.reminder') return t('notify.word.reminder');
  const status = (updateStatus ?? incident.status) as keyof typeof INCIDENT_STATUS_KEYS;
  const key = INCIDENT_STATUS_KEYS[status];
  return key ? t(key) : status;
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
  reader: Reader;
}): EmailTemplate {
  const { incident, pageName, timeZone, reader } = input;
  const { t } = reader;
  const host = new URL(input.baseUrl).hostname || 'herald.local';
  const update = input.updateId ? incident.incident_updates.find((u) => u.id === input.updateId) : undefined;
  const first = incident.incident_updates.at(-1);
  const permalink = readerIncidentLink(input.baseUrl, incident.code, update?.id, reader);
  const word = statusWord(input.event, incident, update?.status ?? null, t);
  // A reminder has no update of its own: it repeats the window's latest words under its own line.
  const reminder = input.event === 'maintenance.reminder' ? reminderWords(incident, timeZone, reader) : null;
  const body =
    input.event === 'postmortem.published'
      ? (incident.postmortem_body ?? '')
      : reminder
        ? (incident.incident_updates[0]?.body ?? '')
        : (update?.body ?? '');
  const when = readerTime(
    reader,
    update?.created_at ?? (reminder && incident.reminded_at) ?? incident.updated_at,
    timeZone,
  );
  const components = incident.components.map((c) =>
    t('notify.componentLine', { name: c.name, status: t(COMPONENT_STATUS_KEYS[c.status]) }),
  );
  const window =
    incident.kind === 'maintenance' && incident.scheduled_for && incident.scheduled_until
      ? t('notify.window', {
          from: readerTime(reader, incident.scheduled_for, timeZone),
          until: readerTime(reader, incident.scheduled_until, timeZone),
        })
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
    t('notify.headline', { status: word, name: incident.name }),
    when,
    '',
    ...(reminder ? [reminder.sentence, ''] : []),
    body,
    '',
    ...(window ? [window] : []),
    ...(components.length ? [t('notify.currentStatusLine'), ...components.map((c) => `  ${c}`), ''] : []),
    t('notify.follow', { kind: incident.kind, link: permalink }),
  ].join('\n');
  const { code, dir } = reader.language;
  const html = `<!doctype html><html lang="${code}" dir="${dir}"><body style="${MAIL_STYLES.body}">
<p style="${MAIL_STYLES.muted}">${escapeHtml(pageName)}</p>
<h1 style="${MAIL_STYLES.heading}">${escapeHtml(t('notify.heading', { status: word, name: incident.name }))}</h1>
<p style="${MAIL_STYLES.muted}">${escapeHtml(when)}</p>
${reminder ? `<p><strong>${escapeHtml(reminder.sentence)}</strong></p>` : ''}
<div>${renderMarkdown(body)}</div>
${window ? `<p>${escapeHtml(window)}</p>` : ''}
${components.length ? `<p><strong>${escapeHtml(t('notify.currentStatus'))}</strong><br>${components.map(escapeHtml).join('<br>')}</p>` : ''}
<p><a href="${escapeHtml(permalink)}">${escapeHtml(t('notify.followOnPage', { kind: incident.kind }))}</a></p>`;
  return {
    reader,
    subject: reminder
      ? t('notify.subject.reminder', {
          page: pageName,
          name: incident.name,
          time: reminder.startsAt,
          lead: reminder.lead,
        })
      : t('notify.subject', { page: pageName, name: incident.name, status: word }),
    messageId,
    threadRoot: rootId && rootId !== messageId ? rootId : null,
    text,
    html,
  };
}

/** The footer every subscriber's mail ends with: their own manage and unsubscribe links. */
export function emailFooter(t: Translate, manageLink: string, unsubscribeLink: string): { text: string; html: string } {
  const manageLine = t('notify.footer.manageLine', { link: manageLink });
  const unsubscribeLine = t('notify.footer.unsubscribeLine', { link: unsubscribeLink });
  const why = escapeHtml(t('notify.footer.why'));
  const manage = escapeHtml(t('notify.footer.manage'));
  const unsubscribe = escapeHtml(t('notify.footer.unsubscribe'));
  return {
    text: `\n\n--\n${manageLine}\n${unsubscribeLine}\n`,
    html: `<hr style="${MAIL_STYLES.rule}"><p style="${MAIL_STYLES.footer}">${why} <a href="${manageLink}">${manage}</a> · <a href="${unsubscribeLink}">${unsubscribe}</a></p>`,
  };
}

/**
 * The template as MIME with slots for each subscriber's address and links (src/render/mime.ts).
 * NULs are dropped from what editors wrote, so nothing they type can look like a slot.
 */
export function emailMime(template: EmailTemplate, from: string, date: Date): MimeTemplate {
  const clean = (s: string) => s.replaceAll('\u0000', '');
  const footer = emailFooter(template.reader.t, MANAGE_SLOT, UNSUBSCRIBE_SLOT);
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
  const footer = emailFooter(template.reader.t, '#manage', '#unsubscribe');
  return {
    subject: template.subject,
    text: template.text + footer.text,
    html: `${template.html}\n${footer.html}\n</body></html>`,
  };
}
