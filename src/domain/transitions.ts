import type { AnyIncidentStatus, IncidentKind } from './incident.ts';
import { isIncidentStatus, isMaintenanceStatus } from './incident.ts';

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

// An incident may move between the open statuses in any order (a fix that did not hold sends it
// back to investigating), and a resolved one only takes further notes; reopening would rewrite
// what subscribers were told, so a recurrence is a new incident.
const INCIDENT_NEXT: Record<string, readonly string[]> = {
  investigating: ['investigating', 'identified', 'monitoring', 'resolved'],
  identified: ['investigating', 'identified', 'monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'monitoring', 'resolved'],
  resolved: ['resolved'],
};

const MAINTENANCE_NEXT: Record<string, readonly string[]> = {
  scheduled: ['scheduled', 'in_progress', 'completed'],
  in_progress: ['in_progress', 'verifying', 'completed'],
  verifying: ['in_progress', 'verifying', 'completed'],
  completed: ['completed'],
};

export function checkTransition(kind: IncidentKind, from: AnyIncidentStatus, to: string): TransitionCheck {
  if (kind === 'incident' && !isIncidentStatus(to)) {
    return { ok: false, reason: `"${to}" is not an incident status (investigating, identified, monitoring, resolved)` };
  }
  if (kind === 'maintenance' && !isMaintenanceStatus(to)) {
    return { ok: false, reason: `"${to}" is not a maintenance status (scheduled, in_progress, verifying, completed)` };
  }
  const allowed = (kind === 'incident' ? INCIDENT_NEXT : MAINTENANCE_NEXT)[from] ?? [];
  if (!allowed.includes(to)) {
    const closed = from === 'resolved' || from === 'completed';
    return {
      ok: false,
      reason: closed
        ? `this ${kind} is ${from}; it can only take further ${from} notes`
        : `a ${kind} cannot go from ${from} back to ${to}`,
    };
  }
  return { ok: true };
}
