/**
 * Prometheus Alertmanager's webhook payload, version 4: the JSON its webhook receiver posts
 * (prometheus/alertmanager docs/configuration.md, `<webhook_config>`; notify/webhook/webhook.go).
 * Grafana's contact point posts the same group shape with fields of its own (./grafana.ts), so
 * the group reader below serves both. Pure.
 */
import type { NormalizedAlert } from '../alerts.ts';
import {
  InvalidAlertPayload,
  MAX_ALERTS,
  alertState,
  arrayAt,
  entryOf,
  fingerprintOfLabels,
  firstText,
  objectAt,
  optionalNumber,
  optionalString,
  own,
  pathOf,
  shown,
  stringMap,
  timeAt,
  type JsonObject,
} from './payload.ts';

export const ALERTMANAGER_VERSION = '4';

/** What differs between the senders of the Alertmanager group shape. */
export type GroupShape = {
  sender: string;
  version: string;
  /** Checks the sender's own per-alert fields and answers the link back to the alert. */
  linkOf: (alert: JsonObject, path: string) => string | null;
};

const ALERTMANAGER: GroupShape = {
  sender: 'Alertmanager',
  version: ALERTMANAGER_VERSION,
  linkOf: (alert, path) => optionalString(own(alert, 'generatorURL'), pathOf(path, 'generatorURL')),
};

export function parseAlertmanager(body: unknown): NormalizedAlert[] {
  return readAlertGroup(body, ALERTMANAGER);
}

export function readAlertGroup(body: unknown, shape: GroupShape): NormalizedAlert[] {
  const root = objectAt(body, '');
  const version = own(root, 'version');
  if (version !== shape.version)
    throw new InvalidAlertPayload(
      'version',
      `must be "${shape.version}", the ${shape.sender} webhook payload Herald reads (got ${shown(version)})`,
    );
  alertState(own(root, 'status'), 'status');
  const groupKey = optionalString(own(root, 'groupKey'), 'groupKey');
  optionalString(own(root, 'receiver'), 'receiver');
  optionalString(own(root, 'externalURL'), 'externalURL');
  for (const key of ['groupLabels', 'commonLabels', 'commonAnnotations']) {
    if (own(root, key) !== undefined) stringMap(own(root, key), key);
  }
  const truncated = optionalNumber(own(root, 'truncatedAlerts'), 'truncatedAlerts');
  if (truncated !== null && !(Number.isInteger(truncated) && truncated >= 0))
    throw new InvalidAlertPayload('truncatedAlerts', `must be a whole number from 0 up (got ${truncated})`);
  const alerts = arrayAt(own(root, 'alerts'), 'alerts', MAX_ALERTS);
  return alerts.map((alert, index) => readAlert(alert, pathOf('alerts', index), groupKey, shape));
}

function readAlert(value: unknown, path: string, groupKey: string | null, shape: GroupShape): NormalizedAlert {
  const alert = objectAt(value, path);
  const state = alertState(own(alert, 'status'), pathOf(path, 'status'));
  const labels = stringMap(own(alert, 'labels'), pathOf(path, 'labels'));
  const annotations =
    own(alert, 'annotations') === undefined ? {} : stringMap(own(alert, 'annotations'), pathOf(path, 'annotations'));
  const startsAt = timeAt(own(alert, 'startsAt'), pathOf(path, 'startsAt'));
  const endsAt = timeAt(own(alert, 'endsAt'), pathOf(path, 'endsAt'));
  const url = shape.linkOf(alert, path);
  // Alertmanager has sent a fingerprint since 0.19; one derived the same way keeps older ones grouped.
  const fingerprint =
    optionalString(own(alert, 'fingerprint'), pathOf(path, 'fingerprint')) ?? fingerprintOfLabels(labels);
  const name = firstText(entryOf(labels, 'alertname')) ?? `Alert ${fingerprint}`;
  const summary = firstText(entryOf(annotations, 'summary'), entryOf(annotations, 'description')) ?? name;
  return { fingerprint, groupKey, state, labels, annotations, name, summary, startsAt, endsAt, url };
}
