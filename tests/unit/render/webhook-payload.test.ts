import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Settings } from '../../../src/db/schema.ts';
import { v2Component, v2Page } from '../../../src/render/statuspage-documents.ts';
import { componentUpdatePayload, webhookPayload, webhookTestPayload } from '../../../src/render/webhook-payload.ts';
import { component as v2ComponentSchema, incident, maintenance } from '../../helpers/statuspage-schema.ts';
import { BASE, channelInput, component } from '../../helpers/channel-input.ts';

// Statuspage's webhook envelope, strict: a field too many or too few fails.
const envelope = {
  type: z.string(),
  timestamp: z.iso.datetime(),
  meta: z.strictObject({ unsubscribe: z.url(), manage: z.url(), generated_at: z.iso.datetime() }),
  page: z.strictObject({
    id: z.string(),
    status_indicator: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
    status_description: z.string(),
  }),
};
// The incident as /api/v2 shows it, plus the postmortem Statuspage's webhooks carry.
const postmortem = { postmortem_body: z.string().nullable(), postmortem_published_at: z.iso.datetime().nullable() };
const incidentWebhook = z.strictObject({ ...envelope, incident: incident.extend(postmortem) });
const maintenanceWebhook = z.strictObject({ ...envelope, incident: maintenance.extend(postmortem) });
const componentWebhook = z.strictObject({
  ...envelope,
  component_update: z.strictObject({
    id: z.string(),
    component_id: z.string(),
    component_type: z.literal('Component'),
    old_status: z.string(),
    new_status: z.string(),
    created_at: z.iso.datetime(),
  }),
  component: v2ComponentSchema,
});

const settings = { page_name: 'Acme Status', time_zone: 'UTC' } as Settings;
const pageId = v2Page(settings, BASE, '2026-11-23T10:00:00.000Z').id;

describe('webhook payload of an incident update', () => {
  it('has Statuspage’s shape: type, meta links, the page as /api/v2 names it, the incident', () => {
    const payload = incidentWebhook.parse(webhookPayload(channelInput()));
    expect(payload.type).toBe('incident.updated');
    expect(payload.timestamp).toBe('2026-11-23T10:10:00.000Z');
    expect(payload.meta).toEqual({
      unsubscribe: `${BASE}/subscriptions/unsubscribe?token=1.1.abc`,
      manage: `${BASE}/subscriptions/manage?token=1.1.abc`,
      generated_at: '2026-11-23T10:10:00.000Z',
    });
    expect(payload.page).toEqual({
      id: pageId,
      status_indicator: 'major',
      status_description: 'Partial System Outage',
    });
    expect(payload.incident).toMatchObject({
      id: 'inc1',
      name: 'API errors',
      status: 'identified',
      impact: 'major',
      page_id: pageId,
      shortlink: `${BASE}/incidents/abc123`,
    });
  });

  it('lists the updates newest first, each with the components it changed', () => {
    const { incident: view } = webhookPayload(channelInput());
    expect(view.incident_updates.map((u) => u.id)).toEqual(['u2', 'u1']);
    expect(view.incident_updates[0]?.affected_components).toBeNull();
    expect(view.incident_updates[1]?.affected_components).toEqual([
      { code: 'api', name: 'API', old_status: 'operational', new_status: 'major_outage' },
    ]);
  });

  it('leaves hidden components out, as /api/v2 does', () => {
    const input = channelInput();
    const visible = new Map([...input.components].filter(([id]) => id !== 'api'));
    const { incident: view } = webhookPayload({ ...input, components: visible });
    expect(view.components.map((c) => c.id)).toEqual(['web']);
    expect(view.incident_updates[1]?.affected_components).toBeNull();
  });

  it('carries a maintenance with its window, typed by the event', () => {
    const payload = maintenanceWebhook.parse(
      webhookPayload(
        channelInput({
          event: 'maintenance.scheduled',
          incident: {
            kind: 'maintenance',
            status: 'scheduled',
            scheduled_for: '2026-11-24T22:00:00.000Z',
            scheduled_until: '2026-11-25T01:00:00.000Z',
          },
        }),
      ),
    );
    expect(payload.type).toBe('maintenance.scheduled');
    expect(payload.incident).toMatchObject({ impact: 'maintenance', scheduled_for: '2026-11-24T22:00:00.000Z' });
  });

  it('carries the postmortem once published, and never a draft', () => {
    const published = webhookPayload(
      channelInput({
        event: 'postmortem.published',
        updateId: null,
        incident: { postmortem_body: 'What happened.', postmortem_published_at: '2026-11-26T09:00:00.000Z' },
      }),
    );
    expect(published.incident.postmortem_body).toBe('What happened.');
    expect(published.timestamp).toBe('2026-11-26T09:00:00.000Z');
    const draft = webhookPayload(channelInput({ incident: { postmortem_body: 'Draft, not for customers.' } }));
    expect(draft.incident.postmortem_body).toBeNull();
  });

  it('passes an event it does not know through as the type', () => {
    expect(webhookPayload(channelInput({ event: 'maintenance.reminder' as never })).type).toBe('maintenance.reminder');
  });
});

describe('webhook payload of a component change', () => {
  it('has Statuspage’s component_update and component, with the same envelope', () => {
    const input = channelInput();
    const changed = v2Component(component('api', 'major_outage', 'API'), pageId);
    const payload = componentWebhook.parse(
      componentUpdatePayload({
        ...input,
        change: {
          id: '42',
          component: changed,
          old_status: 'operational',
          new_status: 'major_outage',
          created_at: '2026-11-23T10:05:00.000Z',
        },
      }),
    );
    expect(payload.type).toBe('component.updated');
    expect(payload.timestamp).toBe('2026-11-23T10:05:00.000Z');
    expect(payload.page.id).toBe(pageId);
    expect(payload.meta.unsubscribe).toBe(input.links.unsubscribe);
    expect(payload.component_update).toEqual({
      id: '42',
      component_id: 'api',
      component_type: 'Component',
      old_status: 'operational',
      new_status: 'major_outage',
      created_at: '2026-11-23T10:05:00.000Z',
    });
    expect(payload.component.page_id).toBe(pageId);
  });
});

describe('webhook test delivery', () => {
  const page = {
    pageName: 'Acme Status',
    baseUrl: BASE,
    pageStatus: { indicator: 'none' as const, description: 'All Systems Operational' },
    links: { manage: `${BASE}/m`, unsubscribe: `${BASE}/u` },
  };

  it('is a subscription.test with the same envelope', () => {
    const payload = z
      .strictObject({ ...envelope, message: z.string() })
      .parse(webhookTestPayload({ ...page, at: '2026-11-23T12:00:00.000Z' }));
    expect(payload).toMatchObject({
      type: 'subscription.test',
      timestamp: '2026-11-23T12:00:00.000Z',
      meta: { unsubscribe: `${BASE}/u`, manage: `${BASE}/m` },
      page: { id: pageId, status_indicator: 'none', status_description: 'All Systems Operational' },
    });
  });

  it('is stamped now when no time is given', () => {
    const before = Date.now();
    const stamped = Date.parse(webhookTestPayload(page).timestamp);
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(Date.now());
  });
});
