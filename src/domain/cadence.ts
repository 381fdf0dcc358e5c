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

/** What the clock needs of an incident: its newest update comes first, as incident views list them. */
export type ClockedIncident = {
  started_at: string;
  impact: Impact;
  incident_updates: ReadonlyArray<{ created_at: string }>;
  /** When the lead said there was honestly nothing new: the clock restarts from there. */
  update_acknowledged_at?: string | null;
};

/** Where an open incident stands against its cadence, for the dashboard and the incident page. */
export type UpdateClock = {
  minutesSince: number;
  everyMinutes: number;
  nextDue: Date;
  due: boolean;
  /** The clock runs from an acknowledgement ("nothing new"), not from an update. */
  acknowledged: boolean;
};

export function updateClock(incident: ClockedIncident, cadence: UpdateCadence, now: Date): UpdateClock {
  // The last public update is the newest one; an incident without any counts from its start.
  const lastUpdate = Date.parse(incident.incident_updates[0]?.created_at ?? incident.started_at);
  const acknowledged = incident.update_acknowledged_at ? Date.parse(incident.update_acknowledged_at) : 0;
  const last = new Date(Math.max(lastUpdate, acknowledged));
  return {
    acknowledged: acknowledged > lastUpdate,
    // Rounded down: "60 min ago" must never show while the hour has not yet passed.
    minutesSince: Math.max(0, Math.floor((now.getTime() - last.getTime()) / 60_000)),
    everyMinutes: cadence[incident.impact],
    nextDue: nextUpdateDue(last, incident.impact, cadence),
    due: isUpdateDue(last, incident.impact, cadence, now),
  };
}
