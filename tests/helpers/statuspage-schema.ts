import { z } from 'zod';

/**
 * The published shape of an Atlassian Statuspage v2 page's documents, field by field, strict:
 * an extra or missing field fails, as it could in a client written against Statuspage.
 */
const time = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'one ISO 8601 format: UTC with milliseconds');
const componentStatus = z.enum([
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
]);

export const page = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  url: z.url(),
  time_zone: z.string(),
  updated_at: time,
});

export const component = z.strictObject({
  id: z.string(),
  name: z.string(),
  status: componentStatus,
  created_at: time,
  updated_at: time,
  position: z.number().int(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: z
    .string()
    .regex(/^\d{4}-\d\d-\d\d$/)
    .nullable(),
  group_id: z.string().nullable(),
  page_id: z.string(),
  group: z.boolean(),
  only_show_if_degraded: z.boolean(),
  components: z.array(z.string()).optional(),
});

const update = z.strictObject({
  id: z.string(),
  status: z.string(),
  body: z.string(),
  incident_id: z.string(),
  created_at: time,
  updated_at: time,
  display_at: time,
  affected_components: z
    .array(
      z.strictObject({ code: z.string(), name: z.string(), old_status: componentStatus, new_status: componentStatus }),
    )
    .nullable(),
  deliver_notifications: z.boolean(),
  custom_tweet: z.null(),
  tweet_id: z.null(),
});

const incidentFields = {
  id: z.string(),
  name: z.string(),
  created_at: time,
  updated_at: time,
  monitoring_at: time.nullable(),
  resolved_at: time.nullable(),
  shortlink: z.url(),
  started_at: time,
  page_id: z.string(),
  incident_updates: z.array(update),
  components: z.array(component),
};

export const incident = z.strictObject({
  ...incidentFields,
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem']),
  impact: z.enum(['none', 'minor', 'major', 'critical']),
});

export const maintenance = z.strictObject({
  ...incidentFields,
  status: z.enum(['scheduled', 'in_progress', 'verifying', 'completed']),
  impact: z.literal('maintenance'),
  scheduled_for: time,
  scheduled_until: time,
});

export const status = z.strictObject({
  indicator: z.enum(['none', 'minor', 'major', 'critical', 'maintenance']),
  description: z.string(),
});

export const documents = {
  'summary.json': z.strictObject({
    page,
    components: z.array(component),
    incidents: z.array(incident),
    scheduled_maintenances: z.array(maintenance),
    status,
  }),
  'status.json': z.strictObject({ page, status }),
  'components.json': z.strictObject({ page, components: z.array(component) }),
  'incidents.json': z.strictObject({ page, incidents: z.array(incident) }),
  'incidents/unresolved.json': z.strictObject({ page, incidents: z.array(incident) }),
  'scheduled-maintenances.json': z.strictObject({ page, scheduled_maintenances: z.array(maintenance) }),
  'scheduled-maintenances/upcoming.json': z.strictObject({ page, scheduled_maintenances: z.array(maintenance) }),
  'scheduled-maintenances/active.json': z.strictObject({ page, scheduled_maintenances: z.array(maintenance) }),
} as const;
