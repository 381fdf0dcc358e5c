import { describe, expect, it } from 'vitest';
import { type RateLimit, secondsUntilAllowed, slidingHits, windowStart } from '../../../src/domain/rate-limit.ts';

const HOUR = 3_600_000;
const limit: RateLimit = { name: 'test', limit: 20, windowMs: HOUR };

describe('sliding-window rate limits', () => {
  it('starts windows on whole multiples of their length', () => {
    expect(windowStart(HOUR * 5 + 123, HOUR)).toBe(HOUR * 5);
  });

  it('weighs the previous window by how much of it is still within one window of now', () => {
    const start = HOUR * 10;
    expect(slidingHits(20, 0, start, HOUR)).toBe(20);
    expect(slidingHits(20, 5, start + HOUR / 4, HOUR)).toBe(5 + 15);
    expect(slidingHits(20, 5, start + HOUR - 1, HOUR)).toBeCloseTo(5, 2);
  });

  it('says how long until the previous window has faded enough to allow one more', () => {
    const start = HOUR * 10;
    // 20 last window, 5 now, at the window's start: 25 > 20; allowed once 5 of the 20 have faded.
    expect(secondsUntilAllowed(20, 5, start, limit)).toBe(HOUR / 4 / 1000);
  });

  it('waits for the next window when this one alone is over the limit', () => {
    const start = HOUR * 10;
    expect(secondsUntilAllowed(0, 21, start + HOUR / 2, limit)).toBe(HOUR / 2 / 1000);
  });
});
