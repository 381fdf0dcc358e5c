import { localInstant } from '../domain/uptime.ts';

/**
 * A datetime-local field's value ("2026-12-01T02:00"), read as wall time in the page's zone,
 * as an ISO instant; null when it is not such a value.
 */
export function localInputToIso(value: string, timeZone: string): string | null {
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d):(\d\d)$/.exec(value);
  if (!match?.[1]) return null;
  const instant = localInstant(match[1], Number(match[2]), Number(match[3]), timeZone);
  return Number.isFinite(instant) ? new Date(instant).toISOString() : null;
}

/** The other way: an instant as the wall time a datetime-local field shows in the page's zone. */
export function isoToLocalInput(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}
