import type { Component, Settings } from '../db/schema.ts';
import { incidentRow } from '../services/incident-row.ts';
import type { ComponentStatus } from '../domain/component-status.ts';
import type { AnyIncidentStatus, Impact } from '../domain/incident.ts';
import { impactOfStatuses } from '../domain/indicator.ts';
import { notifyEventOf } from '../domain/notify-event.ts';
import { emailTemplate, finishedEmail } from '../render/email-message.ts';
import type { IncidentView } from '../services/incident-view.ts';
import { publicBase } from '../domain/public-link.ts';
import { defaultReader } from '../render/reader.ts';

export type Draft = {
  name: string;
  status: AnyIncidentStatus;
  impact: Impact | null;
  body: string;
  chosen: Record<string, ComponentStatus>;
};

const PREVIEW_ID = 'preview';

/**
 * What the incident would look like once posted, built from the form without writing anything:
 * a new incident, or an existing one with the drafted update on top.
 */
export function draftIncident(
  draft: Draft,
  components: readonly Component[],
  now: Date,
  existing?: IncidentView,
  /** A new maintenance window: its kind and times. */
  window?: { scheduled_for: string; scheduled_until: string },
): IncidentView {
  const at = now.toISOString();
  const picked = components
    .filter((c) => draft.chosen[c.id])
    .map((c) => ({ id: c.id, name: c.name, status: draft.chosen[c.id] as ComponentStatus }));
  const merged = new Map((existing?.components ?? []).map((c) => [c.id, c]));
  for (const c of picked) merged.set(c.id, c);
  const visible = picked.filter((c) => components.find((k) => k.id === c.id)?.hidden !== 1).map((c) => c.status);
  const update = {
    id: PREVIEW_ID,
    incident_id: existing?.id ?? PREVIEW_ID,
    status: draft.status,
    body: draft.body,
    author: 'you',
    notify: true,
    created_at: at,
    edited_at: null,
    affected_components: picked.map((c) => ({ id: c.id, name: c.name, old_status: null, new_status: c.status })),
  };
  const base: IncidentView = existing ?? {
    ...incidentRow(
      {
        id: PREVIEW_ID,
        code: PREVIEW_ID,
        kind: window ? 'maintenance' : 'incident',
        name: draft.name,
        impact: 'none',
        status: draft.status,
        started_at: window?.scheduled_for ?? at,
        created_by: null,
        created_at: at,
        updated_at: at,
      },
      window ? { ...window, auto_start: 1, auto_complete: 1 } : {},
    ),
    components: [],
    incident_updates: [],
  };
  return {
    ...base,
    name: existing ? existing.name : draft.name || 'Untitled incident',
    impact: draft.impact ?? (existing ? existing.impact : impactOfStatuses(visible)),
    status: draft.status,
    updated_at: at,
    components: [...merged.values()],
    incident_updates: [update, ...base.incident_updates],
  };
}

/**
 * The notification mail the draft would send, exactly as the email channel words it for a
 * subscriber of the page's default language.
 */
export function draftEmail(
  settings: Pick<Settings, 'page_name' | 'base_url' | 'time_zone' | 'default_language' | 'languages'>,
  baseUrl: string,
  incident: IncidentView,
  previousStatus: AnyIncidentStatus | null,
) {
  const event = notifyEventOf(
    incident.kind,
    previousStatus ?? incident.status,
    incident.status,
    previousStatus === null,
  );
  return finishedEmail(
    emailTemplate({
      pageName: settings.page_name,
      baseUrl: publicBase(settings.base_url, baseUrl),
      timeZone: settings.time_zone,
      incident,
      updateId: PREVIEW_ID,
      event,
      reader: defaultReader(settings),
    }),
  );
}
