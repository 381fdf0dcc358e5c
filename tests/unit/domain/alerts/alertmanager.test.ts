import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlertmanager } from '../../../../src/domain/alerts/alertmanager.ts';
import { InvalidAlertPayload } from '../../../../src/domain/alerts/payload.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/alerts/${name}`, import.meta.url), 'utf8'));

/** The smallest payload Alertmanager could send, changed by each case. */
const payload = (change: (body: Record<string, unknown>, alert: Record<string, unknown>) => void = () => {}) => {
  const alert: Record<string, unknown> = {
    status: 'firing',
    labels: { alertname: 'APIDown', service: 'api' },
    annotations: {},
    startsAt: '2026-11-23T10:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: '',
    fingerprint: 'f00d',
  };
  const body: Record<string, unknown> = { version: '4', groupKey: '{}:{}', status: 'firing', alerts: [alert] };
  change(body, alert);
  return body;
};

const refusal = (body: unknown): InvalidAlertPayload => {
  try {
    parseAlertmanager(body);
  } catch (error) {
    if (error instanceof InvalidAlertPayload) return error;
    throw error;
  }
  throw new Error('the payload was taken');
};

describe('reading an Alertmanager webhook (version 4)', () => {
  it('reads a firing group as Alertmanager posts it', () => {
    const alerts = parseAlertmanager(fixture('alertmanager-firing.json'));
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toEqual({
      fingerprint: '478c6f84cd436fa4',
      groupKey: '{}:{alertname="APIHighErrorRate", service="api"}',
      state: 'firing',
      labels: {
        alertname: 'APIHighErrorRate',
        instance: 'api-1.internal:8080',
        job: 'api',
        service: 'api',
        severity: 'critical',
      },
      annotations: {
        description: 'api-1.internal:8080 answers 12.4% of requests with a 5xx status.',
        runbook_url: 'https://runbooks.example.com/api-high-error-rate',
        summary: 'API 5xx rate above 5% for 5 minutes',
      },
      name: 'APIHighErrorRate',
      summary: 'API 5xx rate above 5% for 5 minutes',
      // Nanoseconds are cut to the milliseconds Herald stores; Go's zero time means "no end yet".
      startsAt: '2026-11-23T10:02:41.963Z',
      endsAt: null,
      url: 'http://prometheus.example.com:9090/graph?g0.expr=job%3Aapi_http_errors%3Arate5m+%3E+0.05&g0.tab=1',
    });
    expect(alerts[1]?.fingerprint).toBe('535ac14f1043595b');
  });

  it('reads the resolution of the same alerts under the same fingerprints', () => {
    const alerts = parseAlertmanager(fixture('alertmanager-resolved.json'));
    expect(alerts.map(({ fingerprint, state, endsAt }) => ({ fingerprint, state, endsAt }))).toEqual([
      { fingerprint: '478c6f84cd436fa4', state: 'resolved', endsAt: '2026-11-23T10:41:07.000Z' },
      { fingerprint: '535ac14f1043595b', state: 'resolved', endsAt: '2026-11-23T10:41:07.000Z' },
    ]);
  });

  it.each([
    ['the summary annotation', { summary: 'Checkout is failing', description: 'Long text' }, 'Checkout is failing'],
    ['the description without a summary', { description: 'Long text' }, 'Long text'],
    ['the alert name without either', {}, 'APIDown'],
    ['the description when the summary is blank', { summary: '  ', description: 'Long text' }, 'Long text'],
  ])('words the summary from %s', (_, annotations, summary) => {
    const [alert] = parseAlertmanager(payload((_, alert) => (alert.annotations = annotations)));
    expect(alert?.summary).toBe(summary);
  });

  it('derives a fingerprint from the labels when an older Alertmanager sends none, whatever their order', () => {
    const [first] = parseAlertmanager(payload((_, alert) => (alert.fingerprint = undefined)));
    const [second] = parseAlertmanager(
      payload((_, alert) => ((alert.fingerprint = ''), (alert.labels = { service: 'api', alertname: 'APIDown' }))),
    );
    expect(first?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(second?.fingerprint).toBe(first?.fingerprint);
  });

  it('names an alert without an alertname by its fingerprint', () => {
    const [alert] = parseAlertmanager(payload((_, alert) => (alert.labels = { service: 'api' })));
    expect(alert?.name).toBe('Alert f00d');
  });

  it('keeps a label called __proto__ as a label, not as the prototype', () => {
    const body = payload((_, alert) => (alert.labels = JSON.parse('{"alertname": "A", "__proto__": "x"}')));
    const [alert] = parseAlertmanager(body);
    expect(Object.getPrototypeOf(alert?.labels)).toBe(Object.prototype);
    expect(Object.hasOwn(alert?.labels ?? {}, '__proto__')).toBe(true);
  });

  it('takes an empty group and fields it does not know', () => {
    expect(parseAlertmanager(payload((body) => ((body.alerts = []), (body.future = { x: 1 }))))).toEqual([]);
  });

  const many = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`l${i}`, 'v']));
  it.each<[string, unknown, string]>([
    ['null', null, 'The payload must be a JSON object (got null)'],
    ['an array', [], 'The payload must be a JSON object (got an array)'],
    ['a string', 'alerts', 'The payload must be a JSON object (got a string)'],
    [
      'no version',
      payload((body) => delete body.version),
      'version must be "4", the Alertmanager webhook payload Herald reads (got nothing)',
    ],
    [
      'version 3',
      payload((body) => (body.version = '3')),
      'version must be "4", the Alertmanager webhook payload Herald reads (got "3")',
    ],
    [
      'a numeric version',
      payload((body) => (body.version = 4)),
      'version must be "4", the Alertmanager webhook payload Herald reads (got a number)',
    ],
    [
      'a group status Herald does not know',
      payload((body) => (body.status = 'pending')),
      'status must be "firing" or "resolved" (got "pending")',
    ],
    [
      'a groupKey that is not a string',
      payload((body) => (body.groupKey = {})),
      'groupKey must be a string (got an object)',
    ],
    [
      'common labels with a number',
      payload((body) => (body.commonLabels = { severity: 1 })),
      'commonLabels.severity must be a string (got a number)',
    ],
    [
      'a negative truncatedAlerts',
      payload((body) => (body.truncatedAlerts = -1)),
      'truncatedAlerts must be a whole number from 0 up (got -1)',
    ],
    ['no alerts', payload((body) => delete body.alerts), 'alerts must be an array (got nothing)'],
    ['alerts as an object', payload((body) => (body.alerts = {})), 'alerts must be an array (got an object)'],
    [
      '1,001 alerts',
      payload((body) => (body.alerts = Array.from({ length: 1001 }, () => ({})))),
      'alerts holds 1001 alerts; at most 1000 are taken',
    ],
    [
      'an alert that is a number',
      payload((body) => (body.alerts = [5])),
      'alerts[0] must be a JSON object (got a number)',
    ],
    [
      'an alert without a status',
      payload((_, alert) => delete alert.status),
      'alerts[0].status must be "firing" or "resolved" (got nothing)',
    ],
    [
      'an alert without labels',
      payload((_, alert) => delete alert.labels),
      'alerts[0].labels must be a JSON object (got nothing)',
    ],
    [
      'a label that is a number',
      payload((_, alert) => (alert.labels = { severity: 2 })),
      'alerts[0].labels.severity must be a string (got a number)',
    ],
    [
      'a spaced label that is null',
      payload((_, alert) => (alert.labels = { 'team name': null })),
      'alerts[0].labels["team name"] must be a string (got null)',
    ],
    [
      'annotations as an array',
      payload((_, alert) => (alert.annotations = [])),
      'alerts[0].annotations must be a JSON object (got an array)',
    ],
    [
      '101 labels',
      payload((_, alert) => (alert.labels = many(101))),
      'alerts[0].labels has 101 entries; at most 100 are taken',
    ],
    [
      'an annotation over 10 KB',
      payload((_, alert) => (alert.annotations = { description: 'x'.repeat(10241) })),
      'alerts[0].annotations.description is 10241 bytes long; at most 10240 are taken',
    ],
    [
      'a label over 10 KB in UTF-8',
      payload((_, alert) => (alert.labels = { note: 'é'.repeat(5121) })),
      'alerts[0].labels.note is 10242 bytes long; at most 10240 are taken',
    ],
    [
      'a label name over 10 KB',
      payload((_, alert) => (alert.labels = { ['k'.repeat(10241)]: 'v' })),
      `alerts[0].labels["${'k'.repeat(40)}…"] is 10241 bytes long; at most 10240 are taken`,
    ],
    [
      'a startsAt in words',
      payload((_, alert) => (alert.startsAt = 'yesterday')),
      'alerts[0].startsAt must be an RFC 3339 time (got "yesterday")',
    ],
    [
      'a startsAt without its zone',
      payload((_, alert) => (alert.startsAt = '2026-11-23T10:00:00')),
      'alerts[0].startsAt must be an RFC 3339 time (got "2026-11-23T10:00:00")',
    ],
    [
      'an endsAt that is a number',
      payload((_, alert) => (alert.endsAt = 1763892000)),
      'alerts[0].endsAt must be a string (got a number)',
    ],
    [
      'a fingerprint that is a number',
      payload((_, alert) => (alert.fingerprint = 42)),
      'alerts[0].fingerprint must be a string (got a number)',
    ],
    [
      'a second alert that is broken',
      payload((body, alert) => (body.alerts = [alert, { ...alert, status: 'ok' }])),
      'alerts[1].status must be "firing" or "resolved" (got "ok")',
    ],
  ])('refuses %s with a readable message', (_, body, message) => {
    const error = refusal(body);
    expect(error.message).toBe(message);
    expect(message.startsWith(error.field === '' ? 'The payload' : error.field)).toBe(true);
  });
});
