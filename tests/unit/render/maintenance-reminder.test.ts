import { describe, expect, it } from 'vitest';
import { ENGLISH, languageOf } from '../../../src/i18n/languages.ts';
import { translator } from '../../../src/i18n/translate.ts';
import { leadInWords } from '../../../src/render/maintenance-reminder.ts';
import { pushPayload } from '../../../src/render/push-payload.ts';
import { readerFor } from '../../../src/render/reader.ts';
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
    const en = translator(ENGLISH);
    expect([1, 45, 60, 90, 120, 1440, 2880, 1530].map((m) => leadInWords(m, en))).toEqual([
      'in 1 minute',
      'in 45 minutes',
      'in 60 minutes',
      'in 90 minutes',
      'in 2 hours',
      'in 1 day',
      'in 2 days',
      'in 1,530 minutes',
    ]);
  });

  it('say it with each language’s plurals: Arabic’s six forms, Japanese’s one', () => {
    const ar = translator(languageOf('ar') ?? ENGLISH);
    expect([0, 1, 2, 3, 11, 100].map((m) => leadInWords(m, ar))).toEqual([
      'خلال 0 دقيقة',
      'خلال دقيقة واحدة',
      'خلال دقيقتين',
      'خلال 3 دقائق',
      'خلال 11 دقيقة',
      'خلال 100 دقيقة',
    ]);
    const ja = translator(languageOf('ja') ?? ENGLISH);
    expect([1, 90, 120, 2880].map((m) => leadInWords(m, ja))).toEqual(['1分後', '90分後', '2時間後', '2日後']);
    const de = translator(languageOf('de') ?? ENGLISH);
    expect([1, 45, 1440, 2880].map((m) => leadInWords(m, de))).toEqual([
      'in 1 Minute',
      'in 45 Minuten',
      'in 1 Tag',
      'in 2 Tagen',
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
      reader: readerFor('en', { default_language: 'en', languages: 'en' }),
    });
    expect(push.title).toBe('Acme: Database upgrade');
    expect(push.body).toBe('Reminder: maintenance starts at 23 Nov 2026, 15:00 CET (in 60 minutes)');
    expect(push.timestamp).toBe(Date.parse('2026-11-23T13:00:05.000Z'));
    expect(push.tag).toBe('incident-m1');
  });

  it('make a German reader’s push in German, linking to the German page', () => {
    const push = pushPayload({
      pageName: 'Acme',
      baseUrl: 'https://status.acme.com',
      incident: window,
      updateId: null,
      event: 'maintenance.reminder',
      timeZone: 'Europe/Paris',
      reader: readerFor('de', { default_language: 'en', languages: 'en,de' }),
    });
    expect(push.body).toBe('Erinnerung: Die Wartung beginnt am 23. Nov. 2026, 15:00 MEZ (in 60 Minuten)');
    expect(push.url).toBe('https://status.acme.com/de/incidents/abc');
  });
});
