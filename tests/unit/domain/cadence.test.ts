import { describe, expect, it } from 'vitest';
import { DEFAULT_CADENCE, isUpdateDue, nextUpdateDue, updateClock } from '../../../src/domain/cadence.ts';
import { describeInterval } from '../../../src/render/format.ts';

describe('update cadence', () => {
  const last = new Date('2026-11-23T10:00:00Z');

  it('follows the playbook defaults: critical every 30 min, major hourly, minor every 4 h, none daily', () => {
    expect(DEFAULT_CADENCE).toEqual({ critical: 30, major: 60, minor: 240, none: 1440 });
    expect(nextUpdateDue(last, 'critical', DEFAULT_CADENCE).toISOString()).toBe('2026-11-23T10:30:00.000Z');
    expect(nextUpdateDue(last, 'none', DEFAULT_CADENCE).toISOString()).toBe('2026-11-24T10:00:00.000Z');
  });

  it('is due exactly when the interval has passed', () => {
    expect(isUpdateDue(last, 'major', DEFAULT_CADENCE, new Date('2026-11-23T10:59:59Z'))).toBe(false);
    expect(isUpdateDue(last, 'major', DEFAULT_CADENCE, new Date('2026-11-23T11:00:00Z'))).toBe(true);
  });

  it('counts whole minutes since the last update, so "60 min ago" never shows before an hourly update is due', () => {
    const major = {
      started_at: '2026-11-23T09:00:00Z',
      impact: 'major' as const,
      incident_updates: [{ created_at: last.toISOString() }, { created_at: '2026-11-23T09:00:00Z' }],
    };
    const almost = updateClock(major, DEFAULT_CADENCE, new Date('2026-11-23T10:59:59Z'));
    expect(almost).toEqual({
      minutesSince: 59,
      everyMinutes: 60,
      nextDue: new Date('2026-11-23T11:00:00Z'),
      due: false,
      acknowledged: false,
    });
    expect(updateClock(major, DEFAULT_CADENCE, new Date('2026-11-23T11:10:30Z'))).toMatchObject({
      minutesSince: 70,
      due: true,
    });
    // A clock a little behind the database's timestamps never says "-1 min".
    expect(
      updateClock({ ...major, impact: 'critical' }, DEFAULT_CADENCE, new Date('2026-11-23T09:59:59Z')).minutesSince,
    ).toBe(0);
  });

  it('restarts the clock from a "nothing new" acknowledgement, and only if it is newer than the last update', () => {
    const acknowledged = {
      started_at: '2026-11-23T09:00:00Z',
      impact: 'major' as const,
      incident_updates: [{ created_at: last.toISOString() }],
      update_acknowledged_at: '2026-11-23T11:05:00Z',
    };
    expect(updateClock(acknowledged, DEFAULT_CADENCE, new Date('2026-11-23T11:10:00Z'))).toMatchObject({
      minutesSince: 5,
      due: false,
      acknowledged: true,
      nextDue: new Date('2026-11-23T12:05:00Z'),
    });
    const older = { ...acknowledged, update_acknowledged_at: '2026-11-23T09:30:00Z' };
    expect(updateClock(older, DEFAULT_CADENCE, new Date('2026-11-23T11:10:00Z'))).toMatchObject({
      due: true,
      acknowledged: false,
    });
  });

  it('counts from the start when an incident has no update yet', () => {
    const bare = { started_at: last.toISOString(), impact: 'critical' as const, incident_updates: [] };
    expect(updateClock(bare, DEFAULT_CADENCE, new Date('2026-11-23T10:31:00Z'))).toMatchObject({
      minutesSince: 31,
      due: true,
    });
  });

  it('says an interval the way people do', () => {
    expect([30, 45, 60, 240, 90, 1440, 2880].map(describeInterval)).toEqual([
      '30 min',
      '45 min',
      '1 h',
      '4 h',
      '90 min',
      '1 day',
      '2 days',
    ]);
  });
});
