import { describe, expect, it } from 'vitest';
import {
  dailyUptime as computeDays,
  dayOf,
  dayWindows,
  localMidnight,
  type StatusPoint,
} from '../../../src/domain/uptime.ts';

function dailyUptime(input: {
  timeline: StatusPoint[];
  createdAt: number;
  timeZone: string;
  now: number;
  days: number;
}) {
  return computeDays({
    timeline: input.timeline,
    createdAt: input.createdAt,
    windows: dayWindows(input.timeZone, input.now, input.days),
  });
}

const t = (iso: string) => Date.parse(iso);

describe('uptime from the status history', () => {
  it('counts a two-hour major outage as 91.67 % for that day', () => {
    const result = dailyUptime({
      timeline: [
        { at: t('2026-01-01T00:00:00Z'), status: 'operational' },
        { at: t('2026-03-10T08:00:00Z'), status: 'major_outage' },
        { at: t('2026-03-10T10:00:00Z'), status: 'operational' },
      ],
      createdAt: t('2026-01-01T00:00:00Z'),
      timeZone: 'UTC',
      now: t('2026-03-11T12:00:00Z'),
      days: 3,
    });
    expect(result.days.map((d) => d.day)).toEqual(['2026-03-09', '2026-03-10', '2026-03-11']);
    expect(result.days[1]?.uptime).toBeCloseTo((22 / 24) * 100, 6);
    expect(result.days[1]?.worst).toBe('major_outage');
    expect(result.days[0]?.uptime).toBe(100);
    // Today counts only up to now: twelve hours, all up.
    expect(result.days[2]?.seconds.operational).toBe(12 * 3600);
  });

  it('weighs a partial outage at 30 % and ignores degraded performance and maintenance', () => {
    const result = dailyUptime({
      timeline: [
        { at: t('2026-03-10T00:00:00Z'), status: 'partial_outage' },
        { at: t('2026-03-10T10:00:00Z'), status: 'degraded_performance' },
        { at: t('2026-03-10T12:00:00Z'), status: 'under_maintenance' },
        { at: t('2026-03-10T14:00:00Z'), status: 'operational' },
      ],
      createdAt: t('2026-03-10T00:00:00Z'),
      timeZone: 'UTC',
      now: t('2026-03-11T00:00:00Z'),
      days: 2,
    });
    expect(result.days[0]?.uptime).toBeCloseTo(100 * (1 - (10 * 0.3) / 24), 6);
    expect(result.days[0]?.worst).toBe('partial_outage');
  });

  it('shows days before the component existed as no data, and counts its first day from creation', () => {
    const created = t('2026-03-10T18:00:00Z');
    const result = dailyUptime({
      timeline: [{ at: created, status: 'operational' }],
      createdAt: created,
      timeZone: 'UTC',
      now: t('2026-03-11T06:00:00Z'),
      days: 4,
    });
    expect(result.days.map((d) => d.noData)).toEqual([true, true, false, false]);
    expect(result.days[2]?.seconds.operational).toBe(6 * 3600);
    expect(result.uptime).toBe(100);
  });

  it('splits an outage across midnight in the page time zone', () => {
    const result = dailyUptime({
      timeline: [
        { at: t('2026-01-01T00:00:00Z'), status: 'operational' },
        { at: t('2026-03-09T22:00:00Z'), status: 'major_outage' }, // 23:00 in Paris (UTC+1)
        { at: t('2026-03-10T01:00:00Z'), status: 'operational' }, // 02:00 in Paris
      ],
      createdAt: t('2026-01-01T00:00:00Z'),
      timeZone: 'Europe/Paris',
      now: t('2026-03-10T22:00:00Z'), // 23:00 in Paris
      days: 2,
    });
    expect(result.days.map((d) => [d.day, d.seconds.major_outage])).toEqual([
      ['2026-03-09', 3600],
      ['2026-03-10', 2 * 3600],
    ]);
  });

  it('knows that DST days in Europe/Paris last 23 and 25 hours', () => {
    const spring = localMidnight('2026-03-30', 'Europe/Paris') - localMidnight('2026-03-29', 'Europe/Paris');
    const autumn = localMidnight('2026-10-26', 'Europe/Paris') - localMidnight('2026-10-25', 'Europe/Paris');
    expect([spring / 3_600_000, autumn / 3_600_000]).toEqual([23, 25]);
    const result = dailyUptime({
      timeline: [{ at: t('2026-01-01T00:00:00Z'), status: 'operational' }],
      createdAt: t('2026-01-01T00:00:00Z'),
      timeZone: 'Europe/Paris',
      now: t('2026-10-26T12:00:00Z'),
      days: 2,
    });
    expect(result.days[0]?.seconds.operational).toBe(25 * 3600);
  });

  it('finds local days in zones with odd offsets (Kathmandu +05:45, Auckland +13)', () => {
    expect(localMidnight('2026-03-10', 'Asia/Kathmandu')).toBe(t('2026-03-09T18:15:00Z'));
    expect(localMidnight('2026-01-10', 'Pacific/Auckland')).toBe(t('2026-01-09T11:00:00Z'));
    expect(dayOf(t('2026-01-09T11:00:00Z'), 'Pacific/Auckland')).toBe('2026-01-10');
    expect(dayOf(t('2026-01-09T10:59:59Z'), 'Pacific/Auckland')).toBe('2026-01-09');
  });
});

describe('local wall-clock times', () => {
  it('reads a wall time after a DST change in that zone', async () => {
    const { localInstant } = await import('../../../src/domain/uptime.ts');
    expect(new Date(localInstant('2026-03-29', 10, 30, 'Europe/Paris')).toISOString()).toBe('2026-03-29T08:30:00.000Z');
    expect(new Date(localInstant('2026-03-28', 10, 30, 'Europe/Paris')).toISOString()).toBe('2026-03-28T09:30:00.000Z');
  });
});
