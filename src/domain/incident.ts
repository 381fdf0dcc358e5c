export const INCIDENT_KINDS = ['incident', 'maintenance'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

export type AnyIncidentStatus = IncidentStatus | MaintenanceStatus;

export const STATUS_LABELS: Record<AnyIncidentStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
};

export function impactRank(impact: Impact): number {
  return IMPACTS.indexOf(impact);
}

export function isIncidentStatus(status: string): status is IncidentStatus {
  return (INCIDENT_STATUSES as readonly string[]).includes(status);
}

export function isMaintenanceStatus(status: string): status is MaintenanceStatus {
  return (MAINTENANCE_STATUSES as readonly string[]).includes(status);
}

export function isClosedStatus(status: AnyIncidentStatus): boolean {
  return status === 'resolved' || status === 'completed';
}

/** An open incident still shapes the page: unresolved incidents and maintenance under way. */
export function isActive(kind: IncidentKind, status: AnyIncidentStatus): boolean {
  if (kind === 'incident') return status !== 'resolved';
  return status === 'in_progress' || status === 'verifying';
}
