import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlertmanager } from '../../../../src/domain/alerts/alertmanager.ts';
import { parseGrafana } from '../../../../src/domain/alerts/grafana.ts';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/alerts/${name}`, import.meta.url), 'utf8'));

/** Grafana's documented example with its first alert changed. */
const payload = (change: (body: Record<string, unknown>, alert: Record<string, unknown>) => void) => {
  const body = fixture('grafana-firing.json');
  const [alert] = body.alerts as Array<Record<string, unknown>>;
  change(body, alert as Record<string, unknown>);
  return body;
};

describe('reading a Grafana Alerting webhook', () => {
  it("reads the example of Grafana's documentation", () => {
    const alerts = parseGrafana(fixture('grafana-firing.json'));
    expect(alerts).toEqual([
      {
        fingerprint: 'c6eadffa33fcdf37',
        groupKey: '{}:{}',
        state: 'firing',
        labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
        annotations: {
          description: 'The system has high memory usage',
          runbook_url: 'https://myrunbook.com/runbook/1234',
          summary: 'This alert was triggered for zone us-1',
        },
        name: 'High memory usage',
        summary: 'This alert was triggered for zone us-1',
        startsAt: '2021-10-12T07:51:03.157Z',
        endsAt: null,
        // Its dashboardURL and panelURL are empty: the rule's page is the link left.
        url: 'https://play.grafana.org/alerting/1afz29v7z/edit',
      },
      expect.objectContaining({ fingerprint: 'bc97ff14869b13e3', name: 'High CPU usage', state: 'firing' }),
    ]);
  });

  it.each([
    [
      'the panel first',
      { panelURL: 'https://g/d/x?viewPanel=2', dashboardURL: 'https://g/d/x' },
      'https://g/d/x?viewPanel=2',
    ],
    ['the dashboard without a panel', { panelURL: '', dashboardURL: 'https://g/d/x' }, 'https://g/d/x'],
    [
      'the rule when neither is set',
      { panelURL: '', dashboardURL: '' },
      'https://play.grafana.org/alerting/1afz29v7z/edit',
    ],
    ['nothing when no link is set', { panelURL: '', dashboardURL: '', generatorURL: '' }, null],
  ])('links an alert to %s', (_, links, url) => {
    const [alert] = parseGrafana(payload((_, alert) => Object.assign(alert, links)));
    expect(alert?.url).toBe(url);
  });

  it('reads a resolved alert with its end', () => {
    const body = payload((_, alert) =>
      Object.assign(alert, { status: 'resolved', endsAt: '2021-10-12T10:01:03+02:00' }),
    );
    const [alert] = parseGrafana(body);
    expect([alert?.state, alert?.endsAt]).toEqual(['resolved', '2021-10-12T08:01:03.000Z']);
  });

  it('takes no value for a query that had none', () => {
    expect(() => parseGrafana(payload((_, alert) => (alert.values = { B: null })))).not.toThrow();
  });

  it('tells the two kinds apart by their version', () => {
    expect(() => parseAlertmanager(fixture('grafana-firing.json'))).toThrow(
      'version must be "4", the Alertmanager webhook payload Herald reads (got "1")',
    );
    expect(() => parseGrafana(fixture('alertmanager-firing.json'))).toThrow(
      'version must be "1", the Grafana webhook payload Herald reads (got "4")',
    );
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'alert', 'The payload must be a JSON object (got a string)'],
    [
      "legacy alerting's payload",
      { ruleName: 'CPU', state: 'alerting', evalMatches: [] },
      "The payload is from Grafana's legacy alerting (ruleName, evalMatches); send from a Grafana Alerting contact point",
    ],
    ['an orgId in words', payload((body) => (body.orgId = 'one')), 'orgId must be a number (got a string)'],
    ['a title that is not text', payload((body) => (body.title = ['x'])), 'title must be a string (got an array)'],
    [
      'a value in words',
      payload((_, alert) => (alert.values = { B: 'high' })),
      'alerts[0].values.B must be a number (got a string)',
    ],
    [
      'values as a list',
      payload((_, alert) => (alert.values = [1])),
      'alerts[0].values must be a JSON object (got an array)',
    ],
    [
      'a panelURL that is a number',
      payload((_, alert) => (alert.panelURL = 3)),
      'alerts[0].panelURL must be a string (got a number)',
    ],
    [
      'a silenceURL over 10 KB',
      payload((_, alert) => (alert.silenceURL = 'u'.repeat(10241))),
      'alerts[0].silenceURL is 10241 bytes long; at most 10240 are taken',
    ],
    [
      'labels with a number',
      payload((_, alert) => (alert.labels = { zone: 1 })),
      'alerts[0].labels.zone must be a string (got a number)',
    ],
  ])('refuses %s with a readable message', (_, body, message) => {
    expect(() => parseGrafana(body)).toThrow(message);
  });
});
