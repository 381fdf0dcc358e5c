import { describe, expect, it } from 'vitest';
import { addBusinessDays, defaultReviewDate, isCalendarDate } from '../../../src/domain/business-days.ts';

describe('business days', () => {
  it('skips Saturdays and Sundays', () => {
    // 2026-11-23 is a Monday.
    expect(addBusinessDays('2026-11-23', 1)).toBe('2026-11-24');
    expect(addBusinessDays('2026-11-23', 4)).toBe('2026-11-27');
    expect(addBusinessDays('2026-11-23', 5)).toBe('2026-11-30');
    expect(addBusinessDays('2026-11-27', 1)).toBe('2026-11-30');
    expect(addBusinessDays('2026-11-23', 10)).toBe('2026-12-07');
  });

  it('counts from a weekend day to the next working days, and zero days is the date itself', () => {
    expect(addBusinessDays('2026-11-28', 1)).toBe('2026-11-30');
    expect(addBusinessDays('2026-11-29', 1)).toBe('2026-11-30');
    expect(addBusinessDays('2026-11-28', 0)).toBe('2026-11-28');
  });

  it('crosses months, years and leap days', () => {
    expect(addBusinessDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addBusinessDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('refuses dates that do not exist and counts that are not whole days', () => {
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-1-5')).toBe(false);
    expect(() => addBusinessDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addBusinessDays('2026-11-23', -1)).toThrow(RangeError);
    expect(() => addBusinessDays('2026-11-23', 1.5)).toThrow(RangeError);
  });
});

describe('the default review date', () => {
  it("counts from the resolution's calendar day in the page's time zone", () => {
    // Tuesday 22:00 in New York is Wednesday 03:00 UTC: the review counts from Tuesday there.
    expect(defaultReviewDate('2026-11-25T03:00:00Z', 'America/New_York', 1)).toBe('2026-11-25');
    expect(defaultReviewDate('2026-11-25T03:00:00Z', 'UTC', 1)).toBe('2026-11-26');
    // Tuesday 23:30 UTC is already Wednesday in Tokyo.
    expect(defaultReviewDate('2026-11-24T23:30:00Z', 'Asia/Tokyo', 1)).toBe('2026-11-26');
    // Five business days from a Friday evening in New York (Saturday in UTC) end the next Friday.
    expect(defaultReviewDate('2026-11-28T01:30:00Z', 'America/New_York', 5)).toBe('2026-12-04');
  });

  it('refuses a time that is not one', () => {
    expect(() => defaultReviewDate('yesterday', 'UTC', 5)).toThrow(RangeError);
  });
});
