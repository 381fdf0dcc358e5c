/** What the reminder rules need of a maintenance window. */
export type RemindedWindow = {
  scheduled_for: string | null;
  remind_minutes_before: number | null;
  reminded_at: string | null;
};

/** When subscribers are reminded of a window starting at `scheduledFor`; null when they are not. */
export function reminderTime(scheduledFor: string | null, minutes: number | null): Date | null {
  if (scheduledFor === null || minutes === null) return null;
  return new Date(Date.parse(scheduledFor) - minutes * 60_000);
}

/** A reminder is due from its time until the window's start, once (until a reschedule re-arms it). */
export function isReminderDue(window: RemindedWindow, now: Date): boolean {
  const at = reminderTime(window.scheduled_for, window.remind_minutes_before);
  if (!at || window.reminded_at !== null || window.scheduled_for === null) return false;
  return at.getTime() <= now.getTime() && now.getTime() < Date.parse(window.scheduled_for);
}

/**
 * `reminded_at` for a window announced now: a window announced when its reminder time has already
 * come gets none (the announcement itself is the notice), so it starts out settled.
 */
export function reminderAtScheduling(scheduledFor: string, minutes: number | null, now: Date): string | null {
  const at = reminderTime(scheduledFor, minutes);
  return at && at.getTime() <= now.getTime() ? now.toISOString() : null;
}

/**
 * Whether a change of the start time or of the minutes re-arms the reminder (clears `reminded_at`):
 * only when the new reminder time is still ahead, so a reminder already sent is not sent again
 * at once.
 */
export function rearmsReminder(before: RemindedWindow, after: RemindedWindow, now: Date): boolean {
  if (before.scheduled_for === after.scheduled_for && before.remind_minutes_before === after.remind_minutes_before)
    return false;
  const at = reminderTime(after.scheduled_for, after.remind_minutes_before);
  return at !== null && at.getTime() > now.getTime();
}
