import type { Incident } from '../db/schema.ts';

/** What an incident row must be told; everything else starts empty (not resolved, not scheduled, no postmortem). */
export type IncidentBasics = Pick<
  Incident,
  'id' | 'code' | 'kind' | 'name' | 'impact' | 'status' | 'started_at' | 'created_by' | 'created_at' | 'updated_at'
>;

/**
 * A new incident row: one place for the defaults of the columns an incident is born without, so a
 * column added to the table is added here, not to every place that builds a row.
 */
export function incidentRow(basics: IncidentBasics, overrides: Partial<Incident> = {}): Incident {
  return {
    resolved_at: null,
    scheduled_for: null,
    scheduled_until: null,
    auto_start: 0,
    auto_complete: 0,
    cancelled_at: null,
    sequence: 0,
    postmortem_body: null,
    postmortem_published_at: null,
    remind_minutes_before: null,
    reminded_at: null,
    review_due_on: null,
    update_acknowledged_at: null,
    ...basics,
    ...overrides,
  };
}
