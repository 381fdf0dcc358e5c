import { describe, expect, it } from 'vitest';
import { pageStatus } from '../../../src/domain/indicator.ts';

describe('the page indicator', () => {
  const none = { unresolvedIncidentImpacts: [], maintenanceInProgress: false } as const;

  it('reads All Systems Operational when every component is operational', () => {
    expect(pageStatus({ ...none, componentStatuses: ['operational', 'operational'] })).toEqual({
      indicator: 'none',
      description: 'All Systems Operational',
    });
  });

  it('reads All Systems Operational for a page without components', () => {
    expect(pageStatus({ ...none, componentStatuses: [] }).indicator).toBe('none');
  });

  it('maps degraded performance to a minor service outage', () => {
    expect(pageStatus({ ...none, componentStatuses: ['operational', 'degraded_performance'] })).toEqual({
      indicator: 'minor',
      description: 'Minor Service Outage',
    });
  });

  it('maps a partial outage to a partial system outage', () => {
    expect(pageStatus({ ...none, componentStatuses: ['degraded_performance', 'partial_outage'] })).toEqual({
      indicator: 'major',
      description: 'Partial System Outage',
    });
  });

  it('maps a major outage to a major service outage, whatever else is going on', () => {
    expect(
      pageStatus({
        componentStatuses: ['major_outage', 'under_maintenance'],
        unresolvedIncidentImpacts: ['minor'],
        maintenanceInProgress: true,
      }),
    ).toEqual({
      indicator: 'critical',
      description: 'Major Service Outage',
    });
  });

  it('raises the indicator to the impact of an unresolved incident even when components look fine', () => {
    expect(
      pageStatus({
        componentStatuses: ['operational'],
        unresolvedIncidentImpacts: ['major'],
        maintenanceInProgress: false,
      }).indicator,
    ).toBe('major');
  });

  it('ignores incidents with no impact', () => {
    expect(
      pageStatus({
        componentStatuses: ['operational'],
        unresolvedIncidentImpacts: ['none'],
        maintenanceInProgress: false,
      }).indicator,
    ).toBe('none');
  });

  it('shows maintenance when a component is under maintenance and nothing is broken', () => {
    expect(pageStatus({ ...none, componentStatuses: ['operational', 'under_maintenance'] })).toEqual({
      indicator: 'maintenance',
      description: 'Service Under Maintenance',
    });
  });

  it('shows maintenance while a window is in progress even without components', () => {
    expect(
      pageStatus({ componentStatuses: [], unresolvedIncidentImpacts: [], maintenanceInProgress: true }).indicator,
    ).toBe('maintenance');
  });

  it('lets an outage win over maintenance', () => {
    expect(
      pageStatus({
        componentStatuses: ['under_maintenance', 'degraded_performance'],
        unresolvedIncidentImpacts: [],
        maintenanceInProgress: true,
      }).indicator,
    ).toBe('minor');
  });
});
