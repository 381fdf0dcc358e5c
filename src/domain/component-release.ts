import type { ComponentStatus } from './component-status.ts';

export type ComponentHold = { componentId: string; incidentId: string };

/**
 * When an incident closes, its components go back to operational, except those that another
 * open incident or maintenance still holds: their status belongs to that other event now.
 */
export function componentsToRelease(input: {
  closingIncidentId: string;
  affectedComponentIds: readonly string[];
  openHolds: readonly ComponentHold[];
}): string[] {
  const heldElsewhere = new Set(
    input.openHolds.filter((h) => h.incidentId !== input.closingIncidentId).map((h) => h.componentId),
  );
  return input.affectedComponentIds.filter((id) => !heldElsewhere.has(id));
}

/**
 * Maintenance starting puts its components under maintenance, but never hides an outage that an
 * incident reported: a broken component stays broken on the page.
 */
export function statusWhenMaintenanceStarts(current: ComponentStatus): ComponentStatus {
  return current === 'operational' || current === 'under_maintenance' ? 'under_maintenance' : current;
}
