import { incidentRow } from '../../src/services/incident-row.ts';
import type { Component } from '../../src/db/schema.ts';
import type { ComponentStatus } from '../../src/domain/component-status.ts';
import type { NotifyEvent } from '../../src/domain/notify-event.ts';
import type { ChannelMessageInput } from '../../src/render/channel-message.ts';
import type { IncidentView, UpdateView } from '../../src/services/incident-view.ts';

export const BASE = 'https://status.example.com';
const T0 = '2026-11-23T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export function component(id: string, status: ComponentStatus = 'operational', name = `Component ${id}`): Component {
  return {
    id,
    group_id: null,
    name,
    description: null,
    position: 0,
    status,
    hidden: 0,
    created_at: T0,
    updated_at: T0,
  };
}

/**
 * An incident with two updates (newest first, as IncidentView has them): "investigating" took the
 * API to a major outage, "identified" is the one notified. `components` are the page's visible ones.
 */
export function channelInput(
  options: {
    event?: NotifyEvent;
    body?: string;
    components?: Component[];
    incident?: Partial<IncidentView>;
    updateId?: string | null;
  } = {},
): ChannelMessageInput {
  const components = options.components ?? [
    component('api', 'major_outage', 'API'),
    component('web', 'operational', 'Web'),
  ];
  const first: UpdateView = {
    id: 'u1',
    incident_id: 'inc1',
    status: 'investigating',
    body: 'We are looking into errors on the API.',
    author: 'Ops',
    notify: true,
    created_at: at(0),
    edited_at: null,
    affected_components: [{ id: 'api', name: 'API', old_status: 'operational', new_status: 'major_outage' }],
  };
  const second: UpdateView = {
    ...first,
    id: 'u2',
    status: 'identified',
    body: options.body ?? 'The cause is **a bad deploy**; rolling back. See [the runbook](https://example.com/run).',
    created_at: at(10),
    affected_components: [],
  };
  const incident: IncidentView = {
    ...incidentRow({
      id: 'inc1',
      code: 'abc123',
      kind: 'incident',
      name: 'API errors',
      impact: 'major',
      status: 'identified',
      started_at: at(0),
      created_by: null,
      created_at: at(0),
      updated_at: at(10),
    }),
    components: components.map((c) => ({ id: c.id, name: c.name, status: c.status })),
    incident_updates: [second, first],
    ...options.incident,
  };
  return {
    pageName: 'Acme Status',
    baseUrl: BASE,
    pageStatus: { indicator: 'major', description: 'Partial System Outage' },
    components: new Map(components.map((c) => [c.id, c])),
    incident,
    updateId: options.updateId === undefined ? 'u2' : options.updateId,
    event: options.event ?? 'incident.updated',
    links: {
      permalink: `${BASE}/incidents/abc123#update-u2`,
      manage: `${BASE}/subscriptions/manage?token=1.1.abc`,
      unsubscribe: `${BASE}/subscriptions/unsubscribe?token=1.1.abc`,
    },
  };
}

/** Every event Herald words, and one it does not know yet (events are added over time). */
export const EVENTS = [
  'incident.created',
  'incident.updated',
  'incident.resolved',
  'maintenance.scheduled',
  'maintenance.started',
  'maintenance.updated',
  'maintenance.completed',
  'postmortem.published',
  'maintenance.reminder',
] as unknown as NotifyEvent[];
