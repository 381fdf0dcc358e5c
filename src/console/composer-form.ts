import { COMPONENT_STATUSES, type ComponentStatus } from '../domain/component-status.ts';
import {
  IMPACTS,
  type Impact,
  INCIDENT_STATUSES,
  MAINTENANCE_STATUSES,
  type AnyIncidentStatus,
} from '../domain/incident.ts';

/** What the incident forms post: per component, "unchanged" or the status it gets. */
export function componentStatusesFromForm(
  form: FormData,
  componentIds: readonly string[],
): Record<string, ComponentStatus> {
  const out: Record<string, ComponentStatus> = {};
  for (const id of componentIds) {
    const value = String(form.get(`component:${id}`) ?? '');
    if ((COMPONENT_STATUSES as readonly string[]).includes(value)) out[id] = value as ComponentStatus;
  }
  return out;
}

export function impactFromForm(form: FormData): Impact | undefined {
  const value = String(form.get('impact') ?? '');
  return (IMPACTS as readonly string[]).includes(value) ? (value as Impact) : undefined;
}

export function statusFromForm(form: FormData): AnyIncidentStatus | null {
  const value = String(form.get('status') ?? '');
  return ([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES] as readonly string[]).includes(value)
    ? (value as AnyIncidentStatus)
    : null;
}

/** A component status named in a link (the dashboard's board), or null. */
export function componentStatusParam(value: string | null): ComponentStatus | null {
  return value && (COMPONENT_STATUSES as readonly string[]).includes(value) ? (value as ComponentStatus) : null;
}
