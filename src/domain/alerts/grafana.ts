/**
 * Grafana Alerting's webhook contact point: Alertmanager's group shape at version "1", with the
 * group's `orgId`, `state` (alerting | ok), `title` and `message`, and per alert the links
 * `silenceURL`, `dashboardURL`, `panelURL`, `imageURL` and the `values` that triggered it
 * (grafana/grafana docs/sources/alerting/configure-notifications/manage-contact-points/
 * integrations/webhook-notifier.md; grafana/alerting receivers/webhook/v1/webhook.go). Pure.
 */
import type { NormalizedAlert } from '../alerts.ts';
import { readAlertGroup, type GroupShape } from './alertmanager.ts';
import {
  InvalidAlertPayload,
  describeType,
  isObject,
  objectAt,
  optionalNumber,
  optionalString,
  own,
  pathOf,
  type JsonObject,
} from './payload.ts';

export const GRAFANA_VERSION = '1';

const GRAFANA: GroupShape = {
  sender: 'Grafana',
  version: GRAFANA_VERSION,
  linkOf: (alert, path) => {
    const link = (key: string) => optionalString(own(alert, key), pathOf(path, key));
    const [panel, dashboard, generator] = [link('panelURL'), link('dashboardURL'), link('generatorURL')];
    link('silenceURL');
    link('imageURL');
    optionalString(own(alert, 'valueString'), pathOf(path, 'valueString'));
    checkValues(own(alert, 'values'), pathOf(path, 'values'));
    // The panel is the most precise view of what fired (its dashboard focused on it); the rule's
    // page in Grafana, generatorURL, is for whoever edits the rule.
    return panel ?? dashboard ?? generator;
  },
};

export function parseGrafana(body: unknown): NormalizedAlert[] {
  const root = objectAt(body, '');
  // Grafana before 8 posted one rule's state (ruleName, evalMatches): a different payload.
  if (
    own(root, 'alerts') === undefined &&
    (own(root, 'ruleName') !== undefined || own(root, 'evalMatches') !== undefined)
  )
    throw new InvalidAlertPayload(
      '',
      "is from Grafana's legacy alerting (ruleName, evalMatches); send from a Grafana Alerting contact point",
    );
  checkGroupFields(root);
  return readAlertGroup(root, GRAFANA);
}

/** Checked for their types only: Herald reads each alert's own status, not the group's words. */
function checkGroupFields(root: JsonObject): void {
  optionalNumber(own(root, 'orgId'), 'orgId');
  for (const key of ['title', 'message', 'state']) optionalString(own(root, key), key);
}

/** The query results that triggered the alert, by refId: numbers (null for no value). */
function checkValues(value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) throw new InvalidAlertPayload(path, `must be a JSON object (got ${describeType(value)})`);
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== null && typeof entry !== 'number')
      throw new InvalidAlertPayload(pathOf(path, key), `must be a number (got ${describeType(entry)})`);
  }
}
