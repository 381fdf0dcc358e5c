import { IMPACTS, type Impact } from './incident.ts';

/** What the team calls each impact; an empty label means none is shown. */
export type SeverityLabels = Record<Impact, string>;

/** The playbooks' names: P1 Critical … P4 Low. */
export const DEFAULT_SEVERITY_LABELS: SeverityLabels = {
  critical: 'P1 · Critical',
  major: 'P2 · High',
  minor: 'P3 · Medium',
  none: 'P4 · Low',
};

/** The impact words customers read on Statuspage-style pages. */
export const IMPACT_WORDS: Record<Impact, string> = {
  critical: 'critical',
  major: 'major',
  minor: 'minor',
  none: 'none',
};

export function severityLabelsOf(settings: {
  severity_critical_label: string;
  severity_major_label: string;
  severity_minor_label: string;
  severity_none_label: string;
}): SeverityLabels {
  return {
    critical: settings.severity_critical_label,
    major: settings.severity_major_label,
    minor: settings.severity_minor_label,
    none: settings.severity_none_label,
  };
}

/** The team's name for an impact, or the impact word when the team names none. */
export function severityName(labels: SeverityLabels, impact: Impact): string {
  return labels[impact].trim() || IMPACT_WORDS[impact];
}

/** How the console offers and shows an impact: "P1 · Critical (critical impact)", or "critical impact". */
export function impactWithSeverity(labels: SeverityLabels, impact: Impact): string {
  const label = labels[impact].trim();
  return label ? `${label} (${IMPACT_WORDS[impact]} impact)` : `${IMPACT_WORDS[impact]} impact`;
}

/** Impacts, most severe first, as the console lists them. */
export const IMPACTS_BY_SEVERITY: readonly Impact[] = [...IMPACTS].reverse();

/** Parses the comma-separated impacts a setting stores; unknown words are dropped. */
export function impactList(value: string): Impact[] {
  const words = new Set(value.split(',').map((w) => w.trim()));
  return IMPACTS.filter((i) => words.has(i));
}

/** The label the public page shows beside an incident's impact, when the owner chose to show one. */
export function publicSeverityLabel(
  settings: Parameters<typeof severityLabelsOf>[0] & { severity_public: number },
  impact: Impact,
): string | null {
  return settings.severity_public === 1 ? severityLabelsOf(settings)[impact].trim() || null : null;
}
