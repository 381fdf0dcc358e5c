/** The response team's roles from the playbooks, in the order they are named there. */
export const INCIDENT_ROLES = ['commander', 'technical_lead', 'communications_lead', 'scribe'] as const;
export type IncidentRoleName = (typeof INCIDENT_ROLES)[number];

export const INCIDENT_ROLE_LABELS: Record<IncidentRoleName, string> = {
  commander: 'Incident commander',
  technical_lead: 'Technical lead',
  communications_lead: 'Communications lead',
  scribe: 'Scribe',
};

export function isIncidentRole(value: string): value is IncidentRoleName {
  return (INCIDENT_ROLES as readonly string[]).includes(value);
}
