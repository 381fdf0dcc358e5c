import type { ComponentStatus } from '../domain/component-status.ts';
import type { AnyIncidentStatus, Impact } from '../domain/incident.ts';
import type { Indicator } from '../domain/indicator.ts';
import type { MessageKey } from './catalogues/en.ts';

// The catalogue key of each word the domain names. Written out, not built from the value, so
// that the type checker sees every key and the catalogue test finds each one in use.

export const INCIDENT_STATUS_KEYS: Record<AnyIncidentStatus, MessageKey> = {
  investigating: 'status.investigating',
  identified: 'status.identified',
  monitoring: 'status.monitoring',
  resolved: 'status.resolved',
  scheduled: 'status.scheduled',
  in_progress: 'status.in_progress',
  verifying: 'status.verifying',
  completed: 'status.completed',
};

export const COMPONENT_STATUS_KEYS: Record<ComponentStatus, MessageKey> = {
  operational: 'component.operational',
  degraded_performance: 'component.degraded_performance',
  partial_outage: 'component.partial_outage',
  major_outage: 'component.major_outage',
  under_maintenance: 'component.under_maintenance',
};

export const INDICATOR_KEYS: Record<Indicator, MessageKey> = {
  none: 'indicator.none',
  minor: 'indicator.minor',
  major: 'indicator.major',
  critical: 'indicator.critical',
  maintenance: 'indicator.maintenance',
};

export const IMPACT_KEYS: Record<Impact, MessageKey> = {
  none: 'impact.none',
  minor: 'impact.minor',
  major: 'impact.major',
  critical: 'impact.critical',
};
