import { describe, expect, it } from 'vitest';
import { DEFAULT_CADENCE, isUpdateDue, nextUpdateDue } from '../../../src/domain/cadence.ts';

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
});
