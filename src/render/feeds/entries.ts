import type { IncidentView } from '../../services/incident-view.ts';
import { formatInstant } from '../../i18n/formats.ts';
import { INCIDENT_STATUS_KEYS } from '../../i18n/labels.ts';
import type { Language } from '../../i18n/languages.ts';
import type { Translate } from '../../i18n/translate.ts';
import { renderMarkdown } from '../markdown.ts';

/** What every feed says of an incident, whatever the format. */
export type FeedEntry = { id: string; title: string; url: string; published: string; updated: string; html: string };

/**
 * A feed's own words and addresses: `home` is the page in the feed's language, `self` the feed.
 * `language` is a BCP 47 code (xml:lang, RSS <language>).
 */
export type FeedInfo = {
  title: string;
  description: string;
  pageName: string;
  home: string;
  self: string;
  updated: string;
  language: string;
};

/** The reader's language, and the absolute address of a public path in it. */
export type FeedLanguage = { language: Language; t: Translate; url: (path: string) => string };

export const escapeXml = (s: string) =>
  s
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/**
 * An entry per incident, its content the updates newest first, updated with each update (edits
 * too). The words around the incident's own text are the reader's; that text is as written.
 */
export function feedEntry(incident: IncidentView, timeZone: string, words: FeedLanguage): FeedEntry {
  const { t, language } = words;
  const when = (iso: string) => formatInstant(language, iso, timeZone);
  const url = words.url(`/incidents/${incident.code}`);
  const times = incident.incident_updates
    .flatMap((u) => [u.created_at, u.edited_at ?? ''])
    .concat(incident.postmortem_published_at ?? '', incident.created_at);
  const updated = times.reduce((a, b) => (b > a ? b : a), '');
  const updates = incident.incident_updates
    .map(
      (u) =>
        `<p><strong>${escapeXml(t(INCIDENT_STATUS_KEYS[u.status]))}</strong> — ${escapeXml(when(u.created_at))}</p>${renderMarkdown(u.body)}`,
    )
    .join('\n');
  const window =
    incident.kind === 'maintenance' && incident.scheduled_for && incident.scheduled_until
      ? `<p>${escapeXml(t('feed.scheduled', { from: when(incident.scheduled_for), until: when(incident.scheduled_until) }))}</p>\n`
      : '';
  const postmortem =
    incident.postmortem_published_at && incident.postmortem_body
      ? `<h2>${escapeXml(t('incident.postmortem'))}</h2>\n${renderMarkdown(incident.postmortem_body)}\n`
      : '';
  const status = incident.cancelled_at ? t('incident.cancelled') : t(INCIDENT_STATUS_KEYS[incident.status]);
  return {
    id: url,
    title: t(incident.kind === 'maintenance' ? 'feed.maintenanceEntry' : 'feed.entry', { name: incident.name, status }),
    url,
    published: incident.created_at,
    updated,
    html: window + postmortem + updates,
  };
}
