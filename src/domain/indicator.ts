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

/**
 * The page-wide indicator as Statuspage blends it: the worst of the visible components' statuses
 * and the unresolved incidents' impacts; maintenance shows only when nothing is broken.
 */
export function pageStatus(input: {
  componentStatuses: readonly ComponentStatus[];
  unresolvedIncidentImpacts: readonly Impact[];
  maintenanceInProgress: boolean;
}): PageStatus {
  let worst: Impact = 'none';
  const raise = (impact: Impact) => {
    if (impactRank(impact) > impactRank(worst)) worst = impact;
  };
  input.componentStatuses.forEach((s) => raise(COMPONENT_IMPACT[s]));
  input.unresolvedIncidentImpacts.forEach(raise);
  const underMaintenance =
    input.maintenanceInProgress || input.componentStatuses.some((s) => s === 'under_maintenance');
  const indicator: Indicator = worst === 'none' && underMaintenance ? 'maintenance' : worst;
  return { indicator, description: INDICATOR_DESCRIPTIONS[indicator] };
}
