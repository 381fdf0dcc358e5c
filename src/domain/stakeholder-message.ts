/**
 * What an internal stakeholder (the CTO, customer success, an #incidents channel) is told about an
 * incident event, as data: written with the event, worded per channel when it is sent
 * (src/render/stakeholder-message.ts). Pure.
 */
import { IMPACTS, type Impact } from './incident.ts';

export const STAKEHOLDER_EVENTS = ['opened', 'update', 'note', 'resolved'] as const;
export type StakeholderEvent = (typeof STAKEHOLDER_EVENTS)[number];

export type StakeholderPayload = {
  event: StakeholderEvent | 'test';
  subject: string;
  pageName: string;
  /** The team's name for the impact ("P1 · Critical"), or the impact in words. */
  severity: string;
  title: string;
  /** The status in words ("Investigating"). */
  status: string;
  /** As written (markdown). */
  body: string;
  author: string;
  /** An internal note (never published) rather than what the status page said. */
  internal: boolean;
  at: string;
  timeZone: string;
  /** The incident's console page, from the console's origin: "/admin/incidents/<id>". */
  path: string;
};

const LEADS: Record<StakeholderPayload['event'], string> = {
  opened: 'Incident opened',
  update: 'Internal update',
  note: 'Internal note',
  resolved: 'Resolved',
  test: 'Test message',
};

export function stakeholderSubject(event: StakeholderPayload['event'], severity: string, title: string): string {
  return `[${severity}] ${LEADS[event]}: ${title}`;
}

/** The line that says who wrote it and whether customers saw it. */
export function provenance(message: Pick<StakeholderPayload, 'event' | 'internal' | 'author'>): string {
  if (message.event === 'test') return `Sent by ${message.author} from the console to check this address.`;
  if (message.internal) return `Internal note by ${message.author}; not published on the status page.`;
  const what = { opened: 'Opened', update: 'Posted', note: 'Posted', resolved: 'Resolved' }[message.event];
  return `${what} by ${message.author} and published on the status page.`;
}

/** The impacts a stakeholder hears about, as stored: a comma list in the order of IMPACTS. */
export function impactsColumn(impacts: readonly Impact[]): string {
  return IMPACTS.filter((i) => impacts.includes(i)).join(',');
}
