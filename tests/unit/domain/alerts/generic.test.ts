import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FieldMapping } from '../../../../src/domain/alerts.ts';
import { InvalidFieldMapping, checkMapping, parseGeneric, valueAt } from '../../../../src/domain/alerts/generic.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/alerts/${name}`, import.meta.url), 'utf8'));

/** How an owner maps OpenStatus' webhook (tests/fixtures/alerts/generic-openstatus-*.json). */
const OPENSTATUS: FieldMapping = {
  name: 'monitor.name',
  state: 'status',
  resolvedValue: 'recovered',
  fingerprint: 'monitor.id',
  summary: 'errorMessage',
};

/** A tool that posts several alerts at once. */
const BATCH = {
  source: 'checks',
  events: [
    {
      check: { name: 'Checkout API', id: 'chk-1' },
      state: 'DOWN',
      level: 'critical',
      service: 'checkout',
      region: 'eu',
    },
    { check: { name: 'Search', id: 'chk-2' }, state: 'up', level: 'warning', service: 'search', region: 'us' },
  ],
};
const BATCH_MAPPING: FieldMapping = {
  alerts: 'events',
  name: 'check.name',
  state: 'state',
  resolvedValue: 'UP',
  severity: 'level',
  component: 'service',
};

describe('reading any JSON through a field mapping', () => {
  it("reads OpenStatus' documented failure and recovery as one alert firing then resolved", () => {
    const [failure] = parseGeneric(fixture('generic-openstatus-error.json'), OPENSTATUS);
    const [recovery] = parseGeneric(fixture('generic-openstatus-recovered.json'), OPENSTATUS);
    expect(failure).toEqual({
      fingerprint: '1',
      groupKey: null,
      state: 'firing',
      labels: {
        _source: expect.any(String),
        'monitor.id': '1',
        'monitor.name': 'test',
        'monitor.url': 'http://openstat.us',
        cronTimestamp: '1744023705307',
        status: 'error',
        errorMessage: 'Connection refused',
        alertname: 'test',
      },
      annotations: { summary: 'Connection refused' },
      name: 'test',
      summary: 'Connection refused',
      startsAt: null,
      endsAt: null,
      url: null,
    });
    expect(recovery).toMatchObject({ fingerprint: '1', state: 'resolved', summary: 'test', annotations: {} });
  });

  it('reads an array of alerts with their mapped severity and component as labels', () => {
    const alerts = parseGeneric(BATCH, BATCH_MAPPING);
    expect(alerts.map(({ name, state, labels }) => ({ name, state, labels }))).toEqual([
      {
        name: 'Checkout API',
        state: 'firing',
        labels: {
          'check.name': 'Checkout API',
          'check.id': 'chk-1',
          state: 'DOWN',
          level: 'critical',
          service: 'checkout',
          region: 'eu',
          alertname: 'Checkout API',
          severity: 'critical',
          component: 'checkout',
        },
      },
      // The resolved word is compared without regard to case: "up" is "UP".
      expect.objectContaining({ name: 'Search', state: 'resolved' }),
    ]);
  });

  it('fingerprints an alert by its labels, leaving out its state and summary so that a resolution finds it', () => {
    const alert = { check: 'db', level: 'critical', status: 'down', text: 'Replica lag 40 s' };
    const mapping: FieldMapping = { name: 'check', state: 'status', resolvedValue: 'up', summary: 'text' };
    const [firing] = parseGeneric(alert, mapping);
    const [resolved] = parseGeneric({ text: 'Replica lag 0 s', status: 'up', level: 'critical', check: 'db' }, mapping);
    const [other] = parseGeneric({ ...alert, check: 'cache' }, mapping);
    expect(firing?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(resolved?.fingerprint).toBe(firing?.fingerprint);
    expect(other?.fingerprint).not.toBe(firing?.fingerprint);
  });

  it('reads numbers and booleans as text, and a path through an array by index', () => {
    expect(valueAt({ a: { b: [{ c: 1 }, { c: 2 }] } }, 'a.b.1.c')).toBe(2);
    expect(valueAt({ a: [1] }, 'a.x')).toBeUndefined();
    expect(valueAt({}, 'toString')).toBeUndefined();
    const [alert] = parseGeneric({ id: 7, down: true }, { name: 'id', state: 'down', resolvedValue: 'false' });
    expect([alert?.name, alert?.state]).toEqual(['7', 'firing']);
  });

  it.each<[string, unknown, string]>([
    ['a body that is not an object', [], 'The payload must be a JSON object (got an array)'],
    ['an alert without its name', { monitor: {}, status: 'error' }, "monitor.name is missing (the mapping's name)"],
    [
      'an alert whose name is blank',
      { monitor: { name: ' ' }, status: 'error' },
      "monitor.name is missing (the mapping's name)",
    ],
    ['an alert without its state', { monitor: { name: 'api' } }, "status is missing (the mapping's state)"],
    [
      'a name that is an object',
      { monitor: { name: { en: 'api' } }, status: 'error' },
      'monitor.name must be a text, a number or a boolean (got an object)',
    ],
    [
      'a field over 10 KB',
      { monitor: { name: 'api' }, status: 'error', body: 'x'.repeat(10241) },
      'body is 10241 bytes long; at most 10240 are taken',
    ],
    [
      'an alert of more than 200 fields',
      {
        monitor: { name: 'api' },
        status: 'error',
        ...Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, i])),
      },
      'The payload has more than 200 fields; map "alerts" to the array of alerts if it holds several',
    ],
  ])('refuses %s with a readable message', (_, body, message) => {
    expect(() => parseGeneric(body, OPENSTATUS)).toThrow(message);
  });

  it.each<[string, unknown, string]>([
    ['alerts that are not an array', { events: {} }, 'events must be an array (got an object)'],
    ['no alerts where the mapping says', { items: [] }, 'events must be an array (got nothing)'],
    ['an alert that is text', { events: [BATCH.events[0], 'down'] }, 'events[1] must be a JSON object (got a string)'],
    [
      'a second alert without its name',
      { events: [BATCH.events[0], { state: 'DOWN' }] },
      "events[1].check.name is missing (the mapping's name)",
    ],
    [
      '1,001 alerts',
      { events: Array.from({ length: 1001 }, () => BATCH.events[0]) },
      'events holds 1001 alerts; at most 1000 are taken',
    ],
  ])('refuses %s in a batch with a readable message', (_, body, message) => {
    expect(() => parseGeneric(body, BATCH_MAPPING)).toThrow(message);
  });

  it.each<[string, unknown, string[]]>([
    ['a complete mapping', OPENSTATUS, []],
    ['a mapping with every field', { ...BATCH_MAPPING, fingerprint: 'id', summary: 'text' }, []],
    ['not an object', 'monitor.name', ['the mapping must be a JSON object (got a string)']],
    ['nothing', {}, ['name is required', 'state is required', 'resolvedValue is required']],
    ['an unknown field', { ...OPENSTATUS, title: 'x' }, ['title is not a mapping field']],
    ['an empty path', { ...OPENSTATUS, name: '' }, ['name must be a non-empty text']],
    ['a number for a path', { ...OPENSTATUS, severity: 3 }, ['severity must be a non-empty text']],
    [
      'a path with an empty step',
      { ...OPENSTATUS, component: 'tags..service' },
      ['component must be names joined by dots, like alert.labels.service'],
    ],
    ['a path through the prototype', { ...OPENSTATUS, name: 'constructor.name' }, ['name must not name constructor']],
    ['a path too long', { ...OPENSTATUS, summary: 'a.'.repeat(101) + 'b' }, ['summary must be at most 200 characters']],
  ])('checks %s', (_, mapping, problems) => {
    expect(checkMapping(mapping)).toEqual(problems);
  });

  it('refuses to read with a mapping that is not valid, listing its problems', () => {
    const mapping = { name: 'x', state: '' } as FieldMapping;
    expect(() => parseGeneric({}, mapping)).toThrow(InvalidFieldMapping);
    expect(() => parseGeneric({}, mapping)).toThrow(
      'The field mapping is not valid: state must be a non-empty text; resolvedValue is required',
    );
  });
});
