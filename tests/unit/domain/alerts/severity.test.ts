import { describe, expect, it } from 'vitest';
import { DEFAULT_CADENCE } from '../../../../src/domain/cadence.ts';
import {
  SEVERITIES,
  SEVERITY_LABELS,
  cadenceMinutesOfSeverity,
  impactOfSeverity,
  severityOfImpact,
  severityOfLabel,
} from '../../../../src/domain/alerts/severity.ts';

describe('severities P1 to P4', () => {
  it.each([
    ['P1', 'P1 · Critical', 'critical', 30],
    ['P2', 'P2 · High', 'major', 60],
    ['P3', 'P3 · Medium', 'minor', 240],
    ['P4', 'P4 · Low', 'none', 1440],
  ] as const)(
    '%s is shown as %s, gives a %s impact and an update every %i minutes',
    (severity, label, impact, every) => {
      expect(SEVERITY_LABELS[severity]).toBe(label);
      expect(impactOfSeverity(severity)).toBe(impact);
      expect(severityOfImpact(impact)).toBe(severity);
      expect(cadenceMinutesOfSeverity(severity)).toBe(every);
    },
  );

  it("follows the page's own cadence when it has one", () => {
    expect(cadenceMinutesOfSeverity('P1', { ...DEFAULT_CADENCE, critical: 15 })).toBe(15);
  });

  it.each([
    ['critical', 'P1'],
    ['CRITICAL', 'P1'],
    [' page ', 'P1'],
    ['P1', 'P1'],
    ['p0', 'P1'],
    ['sev1', 'P1'],
    ['SEV-1', 'P1'],
    ['P1 · Critical', 'P1'],
    ['disaster', 'P1'],
    ['high', 'P2'],
    ['major', 'P2'],
    ['error', 'P2'],
    ['sev2', 'P2'],
    ['P2 - High', 'P2'],
    ['warning', 'P3'],
    ['warn', 'P3'],
    ['minor', 'P3'],
    ['medium', 'P3'],
    ['average', 'P3'],
    ['severity 3', 'P3'],
    ['info', 'P4'],
    ['low', 'P4'],
    ['notice', 'P4'],
    ['P4', 'P4'],
    ['p5', 'P4'],
    ['1', null],
    ['P10', null],
    ['sev12', null],
    ['none', null],
    ['constructor', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('reads the label value %j as %s', (value, severity) => {
    expect(severityOfLabel(value)).toBe(severity);
  });

  it('lists the severities in order of urgency', () => {
    expect(SEVERITIES).toEqual(['P1', 'P2', 'P3', 'P4']);
  });
});
