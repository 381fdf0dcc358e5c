import type { AnyIncidentStatus, IncidentKind } from './incident.ts';

/** What happened, for the subject line and wording. */
export type NotifyEvent =
  | 'incident.created'
  | 'incident.updated'
  | 'incident.resolved'
  | 'maintenance.scheduled'
  /** Sent by the scheduler before a window starts, as many minutes before as the window says. */
  | 'maintenance.reminder'
  | 'maintenance.started'
  | 'maintenance.updated'
  | 'maintenance.completed'
  | 'postmortem.published'
  /** A component's status changed with an update: sent to webhook receivers only (Statuspage's component_update). */
  | 'component.updated';

/** Which event an update is, for the wording of what subscribers receive. */
export function notifyEventOf(
  kind: IncidentKind,
  from: AnyIncidentStatus,
  to: AnyIncidentStatus,
  first: boolean,
): NotifyEvent {
  if (kind === 'incident') {
    if (first) return 'incident.created';
    return to === 'resolved' && from !== 'resolved' ? 'incident.resolved' : 'incident.updated';
  }
  if (first) return 'maintenance.scheduled';
  if (to === 'in_progress' && from === 'scheduled') return 'maintenance.started';
  if (to === 'completed' && from !== 'completed') return 'maintenance.completed';
  return 'maintenance.updated';
}
