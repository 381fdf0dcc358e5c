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
