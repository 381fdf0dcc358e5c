import { describe, expect, it } from 'vitest';
import { internalCadenceOf, internalClock } from '../../../src/domain/internal-cadence.ts';

describe('internal update cadence', () => {
  const cadence = internalCadenceOf({
    internal_cadence_critical_minutes: 30,
    internal_cadence_major_minutes: 30,
    internal_cadence_minor_minutes: null,
    internal_cadence_none_minutes: null,
  });
  const started = '2026-11-23T10:00:00.000Z';

  it('reads the settings: every 30 minutes for P1 and P2 as the playbooks ask, no clock below', () => {
    expect(cadence).toEqual({ critical: 30, major: 30, minor: null, none: null });
  });

  it('keeps no clock at an impact without an internal cadence', () => {
    const minor = { impact: 'minor' as const, started_at: started, lastInternalAt: null };
    expect(internalClock(minor, cadence, new Date('2026-11-23T18:00:00Z'))).toBeNull();
  });

  it('counts from the newest stakeholder-facing event and is due exactly when the interval has passed', () => {
    const critical = { impact: 'critical' as const, started_at: started, lastInternalAt: '2026-11-23T10:20:00.000Z' };
    expect(internalClock(critical, cadence, new Date('2026-11-23T10:49:59Z'))).toEqual({
      minutesSince: 29,
      everyMinutes: 30,
      nextDue: new Date('2026-11-23T10:50:00Z'),
      due: false,
    });
    expect(internalClock(critical, cadence, new Date('2026-11-23T10:50:00Z'))).toMatchObject({
      minutesSince: 30,
      due: true,
    });
  });

  it('counts from the start when the stakeholders have heard nothing yet', () => {
    const major = { impact: 'major' as const, started_at: started, lastInternalAt: null };
    expect(internalClock(major, cadence, new Date('2026-11-23T10:31:00Z'))).toMatchObject({
      minutesSince: 31,
      nextDue: new Date('2026-11-23T10:30:00Z'),
      due: true,
    });
  });

  it('never says "-1 min" when the clock is a little behind the database', () => {
    const critical = { impact: 'critical' as const, started_at: started, lastInternalAt: '2026-11-23T10:05:00.000Z' };
    expect(internalClock(critical, cadence, new Date('2026-11-23T10:04:59Z'))?.minutesSince).toBe(0);
  });
});
