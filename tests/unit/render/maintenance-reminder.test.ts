import { describe, expect, it } from 'vitest';
import { leadInWords } from '../../../src/render/maintenance-reminder.ts';
import { pushPayload } from '../../../src/render/push-payload.ts';
import type { IncidentView } from '../../../src/services/incident-view.ts';

const window: IncidentView = {
  id: 'm1',
  code: 'abc',
  kind: 'maintenance',
  name: 'Database upgrade',
  impact: 'none',
  status: 'scheduled',
  started_at: '2026-11-23T14:00:00.000Z',
  resolved_at: null,
  scheduled_for: '2026-11-23T14:00:00.000Z',
  scheduled_until: '2026-11-23T15:00:00.000Z',
  auto_start: 1,
  auto_complete: 1,
  cancelled_at: null,
  sequence: 0,
  postmortem_body: null,
  postmortem_published_at: null,
  remind_minutes_before: 60,
  reminded_at: '2026-11-23T13:00:05.000Z',
  review_due_on: null,
  update_acknowledged_at: null,
  created_by: null,
  created_at: '2026-11-23T10:00:00.000Z',
  updated_at: '2026-11-23T10:00:00.000Z',
  components: [],
  incident_updates: [],
};

describe('the words of a maintenance reminder', () => {
  it('say how soon in the largest whole unit', () => {
    expect([1, 45, 60, 90, 120, 1440, 2880, 1530].map(leadInWords)).toEqual([
      'in 1 minute',
      'in 45 minutes',
      'in 60 minutes',
      'in 90 minutes',
      'in 2 hours',
      'in 1 day',
      'in 2 days',
      'in 1530 minutes',
    ]);
  });

  it('make a push that says when the window starts in the page’s zone', () => {
    const push = pushPayload({
      pageName: 'Acme',
      baseUrl: 'https://status.acme.com',
      incident: window,
      updateId: null,
      event: 'maintenance.reminder',
      timeZone: 'Europe/Paris',
    });
    expect(push.title).toBe('Acme: Database upgrade');
    expect(push.body).toBe('Reminder: maintenance starts at 23 Nov 2026, 15:00 CET (in 60 minutes)');
    expect(push.timestamp).toBe(Date.parse('2026-11-23T13:00:05.000Z'));
    expect(push.tag).toBe('incident-m1');
  });
});
