import type { IncidentView } from '../../services/incident-view.ts';
import type { FeedLanguage } from './entries.ts';

/** RFC 5545 TEXT escaping: backslash, semicolon, comma and newlines. */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines of at most 75 octets, continued with CRLF and a space, never splitting a UTF-8 character. */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const bytes = Buffer.byteLength(char);
    if (size + bytes > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += bytes;
  }
  out.push(current);
  return out.join('\r\n ');
}

const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const plain = (markdown: string) => markdown.replace(/[*_`#>]/g, '').trim();

/**
 * The maintenance calendar: one VEVENT per window, its SEQUENCE the stored count of moves and
 * cancellation. Its name and links are in the reader's language; the events' text is as written.
 */
export function maintenanceCalendar(input: {
  pageName: string;
  host: string;
  maintenance: IncidentView[];
  words: FeedLanguage;
}): string {
  const { t, language } = input.words;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//Herald//${escapeText(input.pageName)}//${language.code.toUpperCase()}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(t('feed.calendar', { page: input.pageName }))}`,
  ];
  for (const m of input.maintenance) {
    if (!m.scheduled_for || !m.scheduled_until) continue;
    const latest = m.incident_updates[0];
    lines.push(
      'BEGIN:VEVENT',
      `UID:${m.id}@${input.host}`,
      `DTSTAMP:${stamp(m.updated_at)}`,
      `LAST-MODIFIED:${stamp(m.updated_at)}`,
      `SEQUENCE:${m.sequence}`,
      `DTSTART:${stamp(m.scheduled_for)}`,
      `DTEND:${stamp(m.scheduled_until)}`,
      `SUMMARY:${escapeText(m.name)}`,
      `DESCRIPTION:${escapeText(latest ? plain(latest.body) : '')}`,
      `URL:${input.words.url(`/incidents/${m.code}`)}`,
      `STATUS:${m.cancelled_at ? 'CANCELLED' : 'CONFIRMED'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
