/**
 * Reading an inbound alert payload field by field. Every value is checked before it is used and
 * the first wrong one is named by its path (`alerts[3].labels.severity`), so whoever runs the
 * sending tool can fix their side from Herald's answer alone. The limits bound the work one
 * request can cause: a storm arrives as many requests, each of them small. Pure.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { AlertState } from '../alerts.ts';

export const MAX_ALERTS = 1000;
export const MAX_STRING_BYTES = 10 * 1024;
/** Labels or annotations of one alert; Prometheus alerts carry a dozen at most. */
export const MAX_MAP_ENTRIES = 100;

export class InvalidAlertPayload extends Error {
  /** Where the problem is (`alerts[3].labels`), or '' for the payload itself. */
  readonly field: string;
  constructor(field: string, problem: string) {
    super(field === '' ? `The payload ${problem}` : `${field} ${problem}`);
    this.name = 'InvalidAlertPayload';
    this.field = field;
  }
}

export type JsonObject = { readonly [key: string]: unknown };

export function describeType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** A value as an error message quotes it: short strings in quotes, anything else by its type. */
export function shown(value: unknown): string {
  if (typeof value !== 'string') return describeType(value);
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** `alerts[2]`, `alerts[2].labels.service`, `labels["team name"]`. */
export function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  // A long key is cut: the path is for people, and the key may be the very thing that is too long.
  if (key.length > 40) return `${parent}[${JSON.stringify(`${key.slice(0, 40)}…`)}]`;
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** A property the object has itself: `constructor` or `__proto__` in a payload are data, not the prototype's. */
export function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** A label or annotation by name, never one inherited from Object.prototype. */
export function entryOf(map: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, path: string): JsonObject {
  if (!isObject(value)) throw new InvalidAlertPayload(path, `must be a JSON object (got ${describeType(value)})`);
  return value;
}

export function arrayAt(value: unknown, path: string, max: number): readonly unknown[] {
  if (!Array.isArray(value)) throw new InvalidAlertPayload(path, `must be an array (got ${describeType(value)})`);
  if (value.length > max) throw new InvalidAlertPayload(path, `holds ${value.length} alerts; at most ${max} are taken`);
  return value;
}

export function checkSize(text: string, path: string): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_STRING_BYTES)
    throw new InvalidAlertPayload(path, `is ${bytes} bytes long; at most ${MAX_STRING_BYTES} are taken`);
  return text;
}

export function stringAt(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new InvalidAlertPayload(path, `must be a string (got ${describeType(value)})`);
  return checkSize(value, path);
}

/** Absent, null and '' all mean "not given". */
export function optionalString(value: unknown, path: string): string | null {
  if (value === undefined || value === null) return null;
  const text = stringAt(value, path);
  return text === '' ? null : text;
}

export function optionalNumber(value: unknown, path: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') throw new InvalidAlertPayload(path, `must be a number (got ${describeType(value)})`);
  return value;
}

/** Labels and annotations: names to strings, as Alertmanager and Grafana send them. */
export function stringMap(value: unknown, path: string): Record<string, string> {
  const object = objectAt(value, path);
  const entries = Object.entries(object);
  if (entries.length > MAX_MAP_ENTRIES)
    throw new InvalidAlertPayload(path, `has ${entries.length} entries; at most ${MAX_MAP_ENTRIES} are taken`);
  // fromEntries defines own properties, so a key named __proto__ stays a key.
  return Object.fromEntries(
    entries.map(([key, entry]) => {
      const entryPath = pathOf(path, key);
      checkSize(key, entryPath);
      return [key, stringAt(entry, entryPath)];
    }),
  );
}

export function alertState(value: unknown, path: string): AlertState {
  if (value === 'firing' || value === 'resolved') return value;
  throw new InvalidAlertPayload(path, `must be "firing" or "resolved" (got ${shown(value)})`);
}

const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
/** Go's zero time, which Alertmanager and Grafana send as the end of an alert still firing. */
const GO_ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');

/** An RFC 3339 time as Herald stores times (UTC, milliseconds), or null when absent or Go's zero time. */
export function timeAt(value: unknown, path: string): string | null {
  const text = optionalString(value, path);
  if (text === null) return null;
  // Date.parse alone also takes "yesterday"-like strings in some forms; the sender's format is fixed.
  const ms = RFC_3339.test(text) ? Date.parse(text.toUpperCase()) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidAlertPayload(path, `must be an RFC 3339 time (got ${shown(text)})`);
  return ms === GO_ZERO_TIME ? null : new Date(ms).toISOString();
}

/**
 * A fingerprint for an alert whose sender gives none: the same labels always give the same one,
 * whatever their order. 16 hex digits, as Alertmanager's.
 */
export function fingerprintOfLabels(labels: Record<string, string>): string {
  const sorted = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/** The first text that says something: absent and blank values are skipped. */
export function firstText(...values: ReadonlyArray<string | null | undefined>): string | null {
  for (const value of values) if (value !== undefined && value !== null && value.trim() !== '') return value;
  return null;
}
