/**
 * The P1–P4 severities of the response playbooks (seed 004: P1 Critical, P2 High, P3 Medium,
 * P4 Low; seed 001: an update every 30 minutes, hour, 4 hours, 24 hours), what impact each gives
 * an incident, and how the words monitoring tools put in a `severity` label read as one. Pure.
 */
import { DEFAULT_CADENCE, type UpdateCadence } from '../cadence.ts';
import type { Impact } from '../incident.ts';

export const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_LABELS: Record<Severity, string> = {
  P1: 'P1 · Critical',
  P2: 'P2 · High',
  P3: 'P3 · Medium',
  P4: 'P4 · Low',
};

const IMPACT_OF: Record<Severity, Impact> = { P1: 'critical', P2: 'major', P3: 'minor', P4: 'none' };

export function impactOfSeverity(severity: Severity): Impact {
  return IMPACT_OF[severity];
}

export function severityOfImpact(impact: Impact): Severity {
  return SEVERITIES.find((severity) => IMPACT_OF[severity] === impact) ?? 'P4';
}

/** Minutes between public updates: the page's cadence for the severity's impact (30, 60, 240, 1440 by default). */
export function cadenceMinutesOfSeverity(severity: Severity, cadence: UpdateCadence = DEFAULT_CADENCE): number {
  return cadence[IMPACT_OF[severity]];
}

// The words of Prometheus rules, Grafana, Zabbix, syslog and incident tools, lower-cased.
const WORDS: Record<string, Severity> = {
  critical: 'P1',
  crit: 'P1',
  page: 'P1',
  pager: 'P1',
  emergency: 'P1',
  emerg: 'P1',
  fatal: 'P1',
  disaster: 'P1',
  blocker: 'P1',
  urgent: 'P1',
  high: 'P2',
  major: 'P2',
  error: 'P2',
  err: 'P2',
  severe: 'P2',
  warning: 'P3',
  warn: 'P3',
  medium: 'P3',
  moderate: 'P3',
  minor: 'P3',
  average: 'P3',
  low: 'P4',
  info: 'P4',
  information: 'P4',
  informational: 'P4',
  notice: 'P4',
  debug: 'P4',
  trivial: 'P4',
};

/** `P1`, `p2`, `sev1`, `SEV-2`, `severity 3`, `P1 · Critical`: P0 (some playbooks' top) reads as P1, P5 as P4. */
const NUMBERED = /^(?:p|s|sev|severity)[\s_-]*([0-5])(?![0-9])/;

/** The severity a label value names, or null when it names none (a bare number is too ambiguous). */
export function severityOfLabel(value: string | null | undefined): Severity | null {
  if (value === null || value === undefined) return null;
  const word = value.trim().toLowerCase();
  if (Object.hasOwn(WORDS, word)) return WORDS[word] ?? null;
  const numbered = NUMBERED.exec(word);
  if (numbered === null) return null;
  const level = Math.min(4, Math.max(1, Number(numbered[1])));
  return SEVERITIES[level - 1] ?? null;
}
