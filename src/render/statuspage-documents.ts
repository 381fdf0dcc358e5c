import type { Component, ComponentGroup, Settings } from '../db/schema.ts';
import { worseStatus } from '../domain/component-status.ts';
import type { PageStatus } from '../domain/indicator.ts';
import { sha256 } from '../lib/ids.ts';
import type { IncidentView, UpdateView } from '../services/incident-view.ts';
import { incidentLink } from '../domain/public-link.ts';

/** The Statuspage public API v2 shapes, so tools written for a Statuspage page read Herald unchanged. */
export type V2Page = { id: string; name: string; url: string; time_zone: string; updated_at: string };

export type V2Component = {
  id: string;
  name: string;
  status: Component['status'];
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
  components?: string[];
};

export type V2Update = {
  id: string;
  status: string;
  body: string;
  incident_id: string;
  created_at: string;
  updated_at: string;
  display_at: string;
  affected_components: Array<{ code: string; name: string; old_status: string; new_status: string }> | null;
  deliver_notifications: boolean;
  custom_tweet: null;
  tweet_id: null;
};

export type V2Incident = {
  id: string;
  name: string;
  status: string;
  created_at: string;
  updated_at: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  impact: string;
  shortlink: string;
  started_at: string;
  page_id: string;
  incident_updates: V2Update[];
  components: V2Component[];
  scheduled_for?: string | null;
  scheduled_until?: string | null;
};

export type PageContext = { page: V2Page; base: string; components: Map<string, Component> };

/** What an incident document needs of its page: webhook payloads have the page's id, not the whole page. */
export type IncidentContext = { page: Pick<V2Page, 'id'>; base: string; components: ReadonlyMap<string, Component> };

/** A stable page id: derived from the base URL, so it survives restarts and exports alike. */
export function v2PageId(baseUrl: string): string {
  return sha256(baseUrl).slice(0, 12);
}

export function v2Page(
  settings: Pick<Settings, 'page_name' | 'time_zone'>,
  baseUrl: string,
  updatedAt: string,
): V2Page {
  return {
    id: v2PageId(baseUrl),
    name: settings.page_name,
    url: baseUrl,
    time_zone: settings.time_zone,
    updated_at: updatedAt,
  };
}

export function v2Component(component: Component, pageId: string): V2Component {
  return {
    id: component.id,
    name: component.name,
    status: component.status,
    created_at: component.created_at,
    updated_at: component.updated_at,
    position: component.position + 1,
    description: component.description,
    showcase: true,
    start_date: component.created_at.slice(0, 10),
    group_id: component.group_id,
    page_id: pageId,
    group: false,
    only_show_if_degraded: false,
  };
}

/** Statuspage lists groups among the components, flagged `group: true`, with their children's ids. */
export function v2Components(groups: ComponentGroup[], components: Component[], pageId: string): V2Component[] {
  const visible = components.map((c) => v2Component(c, pageId));
  const groupRows = groups
    .map((g): V2Component => {
      const children = components.filter((c) => c.group_id === g.id);
      return {
        id: g.id,
        name: g.name,
        status: children.map((c) => c.status).reduce(worseStatus, 'operational'),
        created_at: g.created_at,
        updated_at: g.updated_at,
        position: g.position + 1,
        description: g.description,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: pageId,
        group: true,
        only_show_if_degraded: false,
        components: children.map((c) => c.id),
      };
    })
    .filter((g) => (g.components ?? []).length > 0);
  return [...groupRows, ...visible].sort((a, b) => a.position - b.position || Number(b.group) - Number(a.group));
}

function v2Update(u: UpdateView, visible: ReadonlyMap<string, Component>): V2Update {
  const affected = u.affected_components.filter((c) => visible.has(c.id));
  return {
    id: u.id,
    status: u.status,
    body: u.body,
    incident_id: u.incident_id,
    created_at: u.created_at,
    updated_at: u.edited_at ?? u.created_at,
    display_at: u.created_at,
    affected_components: affected.length
      ? affected.map((c) => ({
          code: c.id,
          name: c.name,
          old_status: c.old_status ?? 'operational',
          new_status: c.new_status,
        }))
      : null,
    deliver_notifications: u.notify,
    custom_tweet: null,
    tweet_id: null,
  };
}

export function v2Incident(incident: IncidentView, context: IncidentContext): V2Incident {
  const monitoring = [...incident.incident_updates].reverse().find((u) => u.status === 'monitoring');
  const maintenance = incident.kind === 'maintenance';
  const components = incident.components
    .map((c) => context.components.get(c.id))
    .filter((c): c is Component => c !== undefined && c.hidden === 0)
    .map((c) => v2Component(c, context.page.id));
  return {
    id: incident.id,
    name: incident.name,
    status: incident.status,
    created_at: incident.created_at,
    updated_at: incident.updated_at,
    monitoring_at: monitoring?.created_at ?? null,
    resolved_at: incident.resolved_at,
    impact: maintenance ? 'maintenance' : incident.impact,
    shortlink: incidentLink(context.base, incident.code),
    started_at: incident.started_at,
    page_id: context.page.id,
    incident_updates: incident.incident_updates.map((u) => v2Update(u, context.components)),
    components,
    ...(maintenance ? { scheduled_for: incident.scheduled_for, scheduled_until: incident.scheduled_until } : {}),
  };
}

export function v2Status(status: PageStatus): { indicator: PageStatus['indicator']; description: string } {
  return { indicator: status.indicator, description: status.description };
}
