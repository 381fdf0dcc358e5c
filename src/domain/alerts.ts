import type { ComponentStatus } from './component-status.ts';
import type { Impact } from './incident.ts';

/** The kinds of monitoring tools that can post alerts to Herald. */
export const INTEGRATION_KINDS = ['alertmanager', 'grafana', 'generic'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

export type AlertState = 'firing' | 'resolved';

/**
 * An alert as every kind of payload is reduced to: what rules match on and what a draft shows.
 * `fingerprint` identifies the alert across re-sends (Alertmanager's fingerprint, or one derived
 * from its labels); `groupKey` is the sender's grouping when it has one.
 */
export type NormalizedAlert = {
  fingerprint: string;
  groupKey: string | null;
  state: AlertState;
  /** Everything rules can match on: the alert's labels (alertname, severity, service, …). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** A short name for people: the alertname or the mapped name. */
  name: string;
  /** What the alert says happened, for the draft's text (summary/description annotations). */
  summary: string;
  startsAt: string | null;
  endsAt: string | null;
  /** A link back to the alert in its tool, when the payload has one. */
  url: string | null;
};

/** How a rule compares a label: equal, not equal, matches or does not match a regex (anchored). */
export const MATCH_OPERATORS = ['=', '!=', '=~', '!~'] as const;
export type MatchOperator = (typeof MATCH_OPERATORS)[number];
export type Matcher = { label: string; op: MatchOperator; value: string };

/**
 * What a firing alert that matches a rule does: change the components' status only, open a draft
 * incident for the communications lead (the default), or publish an incident at once.
 */
export const RULE_ACTIONS = ['component', 'draft', 'publish'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

/**
 * What its resolution does: put the components back (component action), mark the draft or
 * incident "alerts resolved" and suggest resolving it, or resolve the incident (only when the
 * rule says so).
 */
export const RESOLVE_ACTIONS = ['restore', 'suggest', 'resolve'] as const;
export type ResolveAction = (typeof RESOLVE_ACTIONS)[number];

export type AlertRule = {
  id: string;
  /** All must hold; none matches every alert. */
  matchers: Matcher[];
  componentIds: string[];
  componentStatus: ComponentStatus;
  impact: Impact;
  action: RuleAction;
  /** The template an incident published at once is worded from. */
  templateId: string | null;
  /** A flapping alert changes nothing again until this long after the last change it made. */
  holdDownSeconds: number;
  resolveAction: ResolveAction;
};

/** For the generic kind: where in the JSON each part is (a dotted path such as `alert.labels.service`). */
export type FieldMapping = {
  name: string;
  state: string;
  /** The value of `state` that means resolved (anything else is firing). */
  resolvedValue: string;
  fingerprint?: string;
  severity?: string;
  component?: string;
  summary?: string;
  /** An array of alerts in the body; without it the body is one alert. */
  alerts?: string;
};
