/**
 * Any JSON, read through the integration's field mapping: dotted paths (`check.name`,
 * `events.0.status`) say where an alert's name, state, severity, component, summary and
 * fingerprint are, and `alerts` where the array of alerts is when a body holds several. Pure.
 */
import type { FieldMapping, NormalizedAlert } from '../alerts.ts';
import {
  InvalidAlertPayload,
  MAX_ALERTS,
  MAX_MAP_ENTRIES,
  arrayAt,
  checkSize,
  describeType,
  fingerprintOfLabels,
  isObject,
  objectAt,
  pathOf,
  type JsonObject,
} from './payload.ts';

export const MAX_PATH_LENGTH = 200;
/** Fields nested deeper than this in an alert object are not labels (they stay readable by path). */
export const MAX_LABEL_DEPTH = 4;
/** The flattened fields of one alert; more is a payload to map with `alerts`, not one alert. */
export const MAX_FIELDS = 2 * MAX_MAP_ENTRIES;

const PATHS = ['name', 'state', 'fingerprint', 'severity', 'component', 'summary', 'alerts'] as const;
const REQUIRED = new Set(['name', 'state', 'resolvedValue']);
const KNOWN = new Set<string>([...PATHS, 'resolvedValue']);
// A path walks the payload's own properties only; these would name the prototype's.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

export class InvalidFieldMapping extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`The field mapping is not valid: ${problems.join('; ')}`);
    this.name = 'InvalidFieldMapping';
    this.problems = problems;
  }
}

/** What is wrong with a mapping as the console or the API received it; none when it can be used. */
export function checkMapping(mapping: unknown): string[] {
  if (!isObject(mapping)) return [`the mapping must be a JSON object (got ${describeType(mapping)})`];
  const problems: string[] = [];
  for (const key of Object.keys(mapping)) if (!KNOWN.has(key)) problems.push(`${key} is not a mapping field`);
  for (const key of KNOWN) {
    const value = Object.hasOwn(mapping, key) ? mapping[key] : undefined;
    if (value === undefined || value === null) {
      if (REQUIRED.has(key)) problems.push(`${key} is required`);
    } else if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`${key} must be a non-empty text`);
    } else if (key === 'resolvedValue') {
      if (value.length > MAX_PATH_LENGTH) problems.push(`resolvedValue must be at most ${MAX_PATH_LENGTH} characters`);
    } else {
      const problem = checkPath(value);
      if (problem !== null) problems.push(`${key} ${problem}`);
    }
  }
  return problems;
}

function checkPath(path: string): string | null {
  if (path.length > MAX_PATH_LENGTH) return `must be at most ${MAX_PATH_LENGTH} characters`;
  const segments = path.split('.');
  if (segments.some((segment) => segment === '')) return `must be names joined by dots, like alert.labels.service`;
  const forbidden = segments.find((segment) => FORBIDDEN_SEGMENTS.has(segment));
  return forbidden === undefined ? null : `must not name ${forbidden}`;
}

/** The value at a dotted path: array items by their index, objects by their own properties only. */
export function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const segment of path.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(segment)) value = value[Number(segment)];
    else if (isObject(value) && Object.hasOwn(value, segment)) value = value[segment];
    else return undefined;
  }
  return value;
}

export function parseGeneric(body: unknown, mapping: FieldMapping): NormalizedAlert[] {
  const problems = checkMapping(mapping);
  if (problems.length > 0) throw new InvalidFieldMapping(problems);
  const root = objectAt(body, '');
  const at = mapping.alerts;
  if (at === undefined) return [readAlert(root, '', mapping)];
  return arrayAt(valueAt(root, at), at, MAX_ALERTS).map((item, index) => {
    const path = pathOf(at, index);
    return readAlert(objectAt(item, path), path, mapping);
  });
}

function readAlert(alert: JsonObject, path: string, mapping: FieldMapping): NormalizedAlert {
  const field = (key: (typeof PATHS)[number]): string | null => {
    const at = mapping[key];
    return at === undefined ? null : scalarAt(alert, at, path === '' ? at : `${path}.${at}`);
  };
  const name = field('name');
  if (name === null) throw missing(path, mapping.name, 'name');
  const stateValue = field('state');
  if (stateValue === null) throw missing(path, mapping.state, 'state');
  const state = sameWord(stateValue, mapping.resolvedValue) ? 'resolved' : 'firing';
  const [severity, component, summary] = [field('severity'), field('component'), field('summary')];

  const labels = flatten(alert, path);
  // Neither the state nor the summary names the alert: a resolution must find its firing alert.
  const identity = { ...labels };
  for (const key of [mapping.state, mapping.summary]) if (key !== undefined) delete identity[key];
  const mapped = {
    alertname: name,
    ...(severity === null ? {} : { severity }),
    ...(component === null ? {} : { component }),
  };
  return {
    fingerprint: field('fingerprint') ?? fingerprintOfLabels({ ...identity, ...mapped }),
    groupKey: null,
    state,
    labels: { ...labels, ...mapped },
    annotations: summary === null ? {} : { summary },
    name,
    summary: summary ?? name,
    startsAt: null,
    endsAt: null,
    url: null,
  };
}

function missing(path: string, at: string, field: string): InvalidAlertPayload {
  return new InvalidAlertPayload(path === '' ? at : `${path}.${at}`, `is missing (the mapping's ${field})`);
}

/** Tools differ in case ("RESOLVED", "Resolved"); the mapping names the word, not its spelling. */
function sameWord(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** A mapped field: text, or a number or boolean as text; absent or null is null. */
function scalarAt(alert: JsonObject, at: string, path: string): string | null {
  const value = valueAt(alert, at);
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return checkSize(value, path).trim() === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new InvalidAlertPayload(path, `must be a text, a number or a boolean (got ${describeType(value)})`);
}

/** Every scalar field of the alert object by its dotted path (`severity`, `check.service`): what rules match on. */
function flatten(alert: JsonObject, path: string): Record<string, string> {
  const entries: Array<[string, string]> = [];
  const walk = (object: JsonObject, prefix: string, depth: number): void => {
    for (const [key, value] of Object.entries(object)) {
      const label = prefix === '' ? key : `${prefix}.${key}`;
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        if (entries.length === MAX_FIELDS)
          throw new InvalidAlertPayload(
            path,
            `has more than ${MAX_FIELDS} fields; map "alerts" to the array of alerts if it holds several`,
          );
        entries.push([label, checkSize(String(value), path === '' ? label : `${path}.${label}`)]);
      } else if (isObject(value) && depth < MAX_LABEL_DEPTH) {
        walk(value, label, depth + 1);
      }
    }
  };
  walk(alert, '', 1);
  return Object.fromEntries(entries);
}
