import type { Impact } from './incident.ts';

/** Minutes between public updates, by impact (defaults from the response playbooks). */
export type UpdateCadence = Record<Impact, number>;

export const DEFAULT_CADENCE: UpdateCadence = { critical: 30, major: 60, minor: 240, none: 1440 };

export function nextUpdateDue(lastPublicUpdateAt: Date, impact: Impact, cadence: UpdateCadence): Date {
  return new Date(lastPublicUpdateAt.getTime() + cadence[impact] * 60_000);
}

export function isUpdateDue(lastPublicUpdateAt: Date, impact: Impact, cadence: UpdateCadence, now: Date): boolean {
  return now.getTime() >= nextUpdateDue(lastPublicUpdateAt, impact, cadence).getTime();
}

/** Where an open incident stands against its cadence, for the dashboard and the incident page. */
export type UpdateClock = { minutesSince: number; everyMinutes: number; nextDue: Date; due: boolean };

export function updateClock(lastPublicUpdateAt: Date, impact: Impact, cadence: UpdateCadence, now: Date): UpdateClock {
  return {
    // Rounded down: "60 min ago" must never show while the hour has not yet passed.
    minutesSince: Math.max(0, Math.floor((now.getTime() - lastPublicUpdateAt.getTime()) / 60_000)),
    everyMinutes: cadence[impact],
    nextDue: nextUpdateDue(lastPublicUpdateAt, impact, cadence),
    due: isUpdateDue(lastPublicUpdateAt, impact, cadence, now),
  };
}

/** "30 min", "1 h", "4 h", "1 day": how the console says a cadence. */
export function describeInterval(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}
