import { describe, expect, it } from 'vitest';
import { isReminderDue, rearmsReminder, reminderAtScheduling } from '../../../src/domain/maintenance-reminder.ts';

const at = (iso: string) => new Date(iso);
const window = { scheduled_for: '2026-11-23T14:00:00.000Z', remind_minutes_before: 60, reminded_at: null };

describe('maintenance reminders', () => {
  it('are due from remind-minutes before the start until the start, once', () => {
    expect(isReminderDue(window, at('2026-11-23T12:59:59Z'))).toBe(false);
    expect(isReminderDue(window, at('2026-11-23T13:00:00Z'))).toBe(true);
    expect(isReminderDue(window, at('2026-11-23T13:59:59Z'))).toBe(true);
    expect(isReminderDue(window, at('2026-11-23T14:00:00Z'))).toBe(false);
    expect(isReminderDue({ ...window, reminded_at: '2026-11-23T13:00:00.000Z' }, at('2026-11-23T13:30:00Z'))).toBe(
      false,
    );
    expect(isReminderDue({ ...window, remind_minutes_before: null }, at('2026-11-23T13:30:00Z'))).toBe(false);
  });

  it('start out settled for a window announced after its reminder time', () => {
    expect(reminderAtScheduling(window.scheduled_for, 60, at('2026-11-23T13:15:00Z'))).toBe('2026-11-23T13:15:00.000Z');
    expect(reminderAtScheduling(window.scheduled_for, 60, at('2026-11-23T12:00:00Z'))).toBeNull();
    expect(reminderAtScheduling(window.scheduled_for, null, at('2026-11-23T13:15:00Z'))).toBeNull();
  });

  it('are re-armed by a change of start or lead only when the new reminder time is ahead', () => {
    const reminded = { ...window, reminded_at: '2026-11-23T13:00:00.000Z' };
    const now = at('2026-11-23T13:10:00Z');
    expect(rearmsReminder(reminded, { ...reminded, scheduled_for: '2026-11-23T16:00:00.000Z' }, now)).toBe(true);
    expect(rearmsReminder(reminded, { ...reminded, scheduled_for: '2026-11-23T14:05:00.000Z' }, now)).toBe(false);
    expect(rearmsReminder(reminded, { ...reminded, remind_minutes_before: 90 }, now)).toBe(false);
    expect(rearmsReminder(reminded, { ...reminded, remind_minutes_before: 30 }, now)).toBe(true);
    expect(
      rearmsReminder(
        reminded,
        { ...reminded, remind_minutes_before: 30, scheduled_for: '2026-11-23T15:00:00.000Z' },
        now,
      ),
    ).toBe(true);
    expect(rearmsReminder(reminded, reminded, now)).toBe(false);
    expect(
      rearmsReminder(
        reminded,
        { ...reminded, scheduled_for: '2026-11-23T18:00:00.000Z', remind_minutes_before: null },
        now,
      ),
    ).toBe(false);
  });
});
