import type { Impact } from './incident.ts';

/**
 * Minutes between internal updates to the stakeholders, by impact (seed 004: at least every 30
 * minutes for P1 and P2); null where the team keeps no internal clock. Pure.
 */
export type InternalCadence = Record<Impact, number | null>;

export function internalCadenceOf(settings: {
  internal_cadence_critical_minutes: number | null;
  internal_cadence_major_minutes: number | null;
  internal_cadence_minor_minutes: number | null;
  internal_cadence_none_minutes: number | null;
}): InternalCadence {
  return {
    critical: settings.internal_cadence_critical_minutes,
    major: settings.internal_cadence_major_minutes,
    minor: settings.internal_cadence_minor_minutes,
    none: settings.internal_cadence_none_minutes,
  };
}

/**
 * What the internal clock needs of an incident. `lastInternalAt` is its newest stakeholder-facing
 * event (opened, a public update, an internal note, resolved); null counts from the start.
 */
export type InternallyClockedIncident = { impact: Impact; started_at: string; lastInternalAt: string | null };

export type InternalClock = { minutesSince: number; everyMinutes: number; nextDue: Date; due: boolean };

/** Where an open incident stands against the internal cadence; null when its impact has none. */
export function internalClock(
  incident: InternallyClockedIncident,
  cadence: InternalCadence,
  now: Date,
): InternalClock | null {
  const everyMinutes = cadence[incident.impact];
  if (everyMinutes === null) return null;
  const last = Math.max(
    Date.parse(incident.started_at),
    incident.lastInternalAt ? Date.parse(incident.lastInternalAt) : -Infinity,
  );
  const nextDue = new Date(last + everyMinutes * 60_000);
  return {
    // Rounded down, as the public clock: "30 min ago" never shows before the half hour has passed.
    minutesSince: Math.max(0, Math.floor((now.getTime() - last) / 60_000)),
    everyMinutes,
    nextDue,
    due: now.getTime() >= nextDue.getTime(),
  };
}
