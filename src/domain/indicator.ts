import type { ComponentStatus } from './component-status.ts';
import type { Impact } from './incident.ts';
import { impactRank } from './incident.ts';

export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

export type PageStatus = { indicator: Indicator; description: string };

export const INDICATOR_DESCRIPTIONS: Record<Indicator, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major Service Outage',
  maintenance: 'Service Under Maintenance',
};

const COMPONENT_IMPACT: Record<ComponentStatus, Impact> = {
  operational: 'none',
  under_maintenance: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

/** The impact a set of component statuses amounts to (Statuspage's rule): the worst of them. */
export function impactOfStatuses(statuses: Iterable<ComponentStatus>): Impact {
  let worst: Impact = 'none';
  for (const status of statuses)
    if (impactRank(COMPONENT_IMPACT[status]) > impactRank(worst)) worst = COMPONENT_IMPACT[status];
  return worst;
}

/**
 * The page-wide indicator as Statuspage blends it: the worst of the visible components' statuses
 * and the unresolved incidents' impacts; maintenance shows only when nothing is broken.
 */
export function pageStatus(input: {
  componentStatuses: readonly ComponentStatus[];
  unresolvedIncidentImpacts: readonly Impact[];
  maintenanceInProgress: boolean;
}): PageStatus {
  const worst = [impactOfStatuses(input.componentStatuses), ...input.unresolvedIncidentImpacts].reduce((a, b) =>
    impactRank(b) > impactRank(a) ? b : a,
  );
  const underMaintenance =
    input.maintenanceInProgress || input.componentStatuses.some((s) => s === 'under_maintenance');
  const indicator: Indicator = worst === 'none' && underMaintenance ? 'maintenance' : worst;
  return { indicator, description: INDICATOR_DESCRIPTIONS[indicator] };
}
