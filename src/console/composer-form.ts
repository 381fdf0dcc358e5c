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

/** Fills a template's {{components}} with the names of the affected components. */
export function fillTemplate(text: string, componentNames: readonly string[]): string {
  const names =
    componentNames.length === 0
      ? 'our services'
      : componentNames.length === 1
        ? (componentNames[0] ?? '')
        : `${componentNames.slice(0, -1).join(', ')} and ${componentNames.at(-1)}`;
  return text.replaceAll('{{components}}', names);
}
