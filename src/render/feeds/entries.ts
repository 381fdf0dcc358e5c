import { STATUS_LABELS } from '../../domain/incident.ts';
import type { IncidentView } from '../../services/incident-view.ts';
import { formatTime } from '../format.ts';
import { renderMarkdown } from '../markdown.ts';
import { incidentLink } from '../../domain/public-link.ts';

/** What every feed says of an incident, whatever the format. */
export type FeedEntry = { id: string; title: string; url: string; published: string; updated: string; html: string };

export type FeedInfo = { title: string; pageName: string; base: string; updated: string };

export const escapeXml = (s: string) =>
  s
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** An entry per incident, its content the updates newest first, updated with each update (edits too). */
export function feedEntry(incident: IncidentView, base: string, timeZone: string): FeedEntry {
  const url = incidentLink(base, incident.code);
  const times = incident.incident_updates
    .flatMap((u) => [u.created_at, u.edited_at ?? ''])
    .concat(incident.postmortem_published_at ?? '', incident.created_at);
  const updated = times.reduce((a, b) => (b > a ? b : a), '');
  const updates = incident.incident_updates
    .map(
      (u) =>
        `<p><strong>${STATUS_LABELS[u.status]}</strong> — ${formatTime(u.created_at, timeZone)}</p>${renderMarkdown(u.body)}`,
    )
    .join('\n');
  const window =
    incident.kind === 'maintenance' && incident.scheduled_for && incident.scheduled_until
      ? `<p>Scheduled: ${formatTime(incident.scheduled_for, timeZone)} – ${formatTime(incident.scheduled_until, timeZone)}</p>\n`
      : '';
  const postmortem =
    incident.postmortem_published_at && incident.postmortem_body
      ? `<h2>Postmortem</h2>\n${renderMarkdown(incident.postmortem_body)}\n`
      : '';
  const label = incident.cancelled_at ? 'Cancelled' : STATUS_LABELS[incident.status];
  return {
    id: url,
    title: `${incident.kind === 'maintenance' ? 'Maintenance: ' : ''}${incident.name} (${label})`,
    url,
    published: incident.created_at,
    updated,
    html: window + postmortem + updates,
  };
}
