import { describe, expect, it } from 'vitest';
import { componentsToRelease, statusWhenMaintenanceStarts } from '../../../src/domain/component-release.ts';

describe('releasing components when an incident closes', () => {
  it('returns every affected component when nothing else holds it', () => {
    expect(
      componentsToRelease({
        closingIncidentId: 'a',
        affectedComponentIds: ['api', 'web'],
        openHolds: [{ componentId: 'api', incidentId: 'a' }],
      }),
    ).toEqual(['api', 'web']);
  });

  it('keeps a component that another open incident still holds', () => {
    expect(
      componentsToRelease({
        closingIncidentId: 'a',
        affectedComponentIds: ['api', 'web'],
        openHolds: [
          { componentId: 'api', incidentId: 'a' },
          { componentId: 'api', incidentId: 'b' },
        ],
      }),
    ).toEqual(['web']);
  });
});

describe('maintenance starting', () => {
  it('puts operational components under maintenance', () => {
    expect(statusWhenMaintenanceStarts('operational')).toBe('under_maintenance');
  });

  it('never hides an outage behind maintenance', () => {
    expect(statusWhenMaintenanceStarts('major_outage')).toBe('major_outage');
    expect(statusWhenMaintenanceStarts('degraded_performance')).toBe('degraded_performance');
  });
});
