import { type ComponentStatus, worseStatus } from './component-status.ts';

/** A status that holds from `at` (ms since epoch) until the next change. */
export type StatusPoint = { at: number; status: ComponentStatus };

export type DayUptime = {
  /** The calendar day in the page's time zone, YYYY-MM-DD. */
  day: string;
  /** The component did not exist (yet) at any moment of this day that has passed. */
  noData: boolean;
  worst: ComponentStatus | null;
  seconds: Record<ComponentStatus, number>;
  /** 0..100, or null without data. */
  uptime: number | null;
};

// Statuspage's weighting: a major outage is all downtime, a partial outage 30 % of it.
const DOWNTIME: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 0,
  degraded_performance: 0,
  partial_outage: 0.3,
  major_outage: 1,
};

const wallClock = new Map<string, Intl.DateTimeFormat>();

/** The offset (ms) of a time zone at an instant: local wall time minus UTC. */
function offsetAt(instant: number, timeZone: string): number {
  let f = wallClock.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClock.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
  const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a local wall-clock time happens in a time zone (corrected twice around DST). */
export function localInstant(day: string, hour: number, minute: number, timeZone: string): number {
  const [y = 1970, m = 1, d = 1] = day.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d, hour, minute);
  let t = guess - offsetAt(guess, timeZone);
  t = guess - offsetAt(t, timeZone);
  return t;
}

/** The instant a local calendar day starts (DST days are 23 or 25 hours long). */
export function localMidnight(day: string, timeZone: string): number {
  return localInstant(day, 0, 0, timeZone);
}

export function dayOf(instant: number, timeZone: string): string {
  return new Date(instant + offsetAt(instant, timeZone)).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const [y = 1970, m = 1, d = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

const emptySeconds = (): Record<ComponentStatus, number> => ({
  operational: 0,
  degraded_performance: 0,
  partial_outage: 0,
  major_outage: 0,
  under_maintenance: 0,
});

/** A local calendar day as an interval of instants; today ends at `now`. */
export type DayWindow = { day: string; start: number; end: number };

/** The last `days` local days, oldest first: computed once and shared by every component. */
export function dayWindows(timeZone: string, now: number, days: number): DayWindow[] {
  const today = dayOf(now, timeZone);
  const windows: DayWindow[] = [];
  let next = localMidnight(addDays(today, 1), timeZone);
  for (let i = 0; i < days; i++) {
    const day = addDays(today, -i);
    const start = localMidnight(day, timeZone);
    windows.unshift({ day, start, end: Math.min(next, now) });
    next = start;
  }
  return windows;
}

/**
 * Per local day (from dayWindows), how long the component spent in each status, the day's worst
 * status and its uptime; plus the uptime over the whole window. `timeline` is sorted, starts
 * with the status in force at or before the window (or the creation), and nothing before
 * `createdAt` counts.
 */
export function dailyUptime(input: { timeline: StatusPoint[]; createdAt: number; windows: DayWindow[] }): {
  days: DayUptime[];
  uptime: number | null;
} {
  const days: DayUptime[] = [];
  let totalKnown = 0;
  let totalDown = 0;
  for (const window of input.windows) {
    const start = Math.max(window.start, input.createdAt);
    const end = window.end;
    const seconds = emptySeconds();
    for (let k = 0; k < input.timeline.length; k++) {
      const point = input.timeline[k];
      if (!point) continue;
      const from = Math.max(point.at, start);
      const to = Math.min(input.timeline[k + 1]?.at ?? Infinity, end);
      if (to > from) seconds[point.status] += (to - from) / 1000;
    }
    const known = Object.values(seconds).reduce((a, b) => a + b, 0);
    const down = (Object.entries(seconds) as Array<[ComponentStatus, number]>).reduce(
      (sum, [status, s]) => sum + s * DOWNTIME[status],
      0,
    );
    const worst =
      known > 0 ? (Object.keys(seconds) as ComponentStatus[]).filter((s) => seconds[s] > 0).reduce(worseStatus) : null;
    totalKnown += known;
    totalDown += down;
    days.push({
      day: window.day,
      noData: known === 0,
      worst,
      seconds,
      uptime: known > 0 ? 100 * (1 - down / known) : null,
    });
  }
  return { days, uptime: totalKnown > 0 ? 100 * (1 - totalDown / totalKnown) : null };
}
