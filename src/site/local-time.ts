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
