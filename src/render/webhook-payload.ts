import type { ComponentStatus } from '../domain/component-status.ts';
import type { Indicator } from '../domain/indicator.ts';
import { type ChannelMessageInput, type ChannelPageInput, eventTime } from './channel-message.ts';
import { type V2Component, type V2Incident, v2Incident, v2PageId } from './statuspage-documents.ts';

/**
 * Statuspage's webhook fields (meta.unsubscribe, page.status_indicator, incident.incident_updates,
 * component_update), so receivers written for Statuspage read Herald unchanged. `type` is
 * Herald's addition: the event, since one receiver hears them all.
 */
type Envelope = {
  type: string;
  timestamp: string;
  meta: { unsubscribe: string; manage: string; generated_at: string };
  page: { id: string; status_indicator: Indicator; status_description: string };
};

export type IncidentWebhook = Envelope & {
  incident: V2Incident & { postmortem_body: string | null; postmortem_published_at: string | null };
};

export type ComponentChangeInput = ChannelPageInput & {
  change: {
    id: string;
    component: V2Component;
    old_status: ComponentStatus;
    new_status: ComponentStatus;
    created_at: string;
  };
};

export type ComponentWebhook = Envelope & {
  component_update: {
    id: string;
    component_id: string;
    component_type: 'Component';
    old_status: ComponentStatus;
    new_status: ComponentStatus;
    created_at: string;
  };
  component: V2Component;
};

function envelope(type: string, at: string, input: ChannelPageInput): Envelope {
  return {
    type,
    timestamp: at,
    meta: { unsubscribe: input.links.unsubscribe, manage: input.links.manage, generated_at: at },
    // The same id as /api/v2's page, so a receiver can match deliveries with what it polls.
    page: {
      id: v2PageId(input.baseUrl),
      status_indicator: input.pageStatus.indicator,
      status_description: input.pageStatus.description,
    },
  };
}

/** An incident or maintenance event: the incident as /api/v2 shows it, its updates newest first. */
export function webhookPayload(input: ChannelMessageInput): IncidentWebhook {
  const incident = v2Incident(input.incident, {
    page: { id: v2PageId(input.baseUrl) },
    base: input.baseUrl,
    components: input.components,
  });
  return {
    ...envelope(input.event, eventTime(input), input),
    incident: {
      ...incident,
      postmortem_body: input.incident.postmortem_published_at ? input.incident.postmortem_body : null,
      postmortem_published_at: input.incident.postmortem_published_at,
    },
  };
}

/** A component's own status change, as Statuspage sends it (component_update and component). */
export function componentUpdatePayload(input: ComponentChangeInput): ComponentWebhook {
  const { change } = input;
  return {
    ...envelope('component.updated', change.created_at, input),
    component_update: {
      id: change.id,
      component_id: change.component.id,
      component_type: 'Component',
      old_status: change.old_status,
      new_status: change.new_status,
      created_at: change.created_at,
    },
    component: change.component,
  };
}

/**
 * The signed delivery that proves a new receiver answers (2xx) before it gets updates. `at`
 * defaults to now: unlike an update, a test has no moment of its own in the data.
 */
export function webhookTestPayload(input: ChannelPageInput & { at?: string }): Envelope & { message: string } {
  return {
    ...envelope('subscription.test', input.at ?? new Date().toISOString(), input),
    message: `A test delivery from ${input.pageName}: this endpoint will receive its incident and maintenance updates.`,
  };
}
