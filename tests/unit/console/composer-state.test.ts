import { describe, expect, it } from 'vitest';
import {
  applyTemplate,
  emptyComposer,
  type FillContext,
  refreshedBeforePosting,
} from '../../../src/console/composer-state.ts';
import { DEFAULT_CADENCE } from '../../../src/domain/cadence.ts';
import type { Template } from '../../../src/db/schema.ts';

const template: Template = {
  id: 'tpl-investigating',
  name: 'Investigating',
  kind: 'incident',
  status: 'investigating',
  title: 'Issues with {{components}}',
  body: 'We are aware of issues with {{components}}. Next update by {{next_update}}.',
  created_at: '2026-11-23T10:00:00.000Z',
  updated_at: '2026-11-23T10:00:00.000Z',
};
const context = (names: string[], now: string): FillContext => ({
  settings: {
    page_name: 'Acme',
    time_zone: 'UTC',
    severity_critical_label: 'P1 · Critical',
    severity_major_label: 'P2 · High',
    severity_minor_label: 'P3 · Medium',
    severity_none_label: 'P4 · Low',
  },
  cadence: DEFAULT_CADENCE,
  now: new Date(now),
  componentNames: names,
  impact: 'major',
});

describe("the composer's template", () => {
  it('fills title and message, and follows each until the lead edits it', () => {
    const first = applyTemplate(emptyComposer('investigating'), template, context([], '2026-11-23T10:00:00Z'), true);
    expect(first.name).toBe('Issues with our services');
    expect(first.body).toBe('We are aware of issues with our services. Next update by 11:00 UTC.');
    const edited = { ...first, body: 'Our own words.' };
    const after = applyTemplate(edited, template, context(['API'], '2026-11-23T10:00:00Z'), false);
    expect(after.body).toBe('Our own words.');
    expect(after.name).toBe('Issues with API');
  });

  it('posts an untouched text as it is when only the clock moved, and refreshes it when the components changed', () => {
    const filled = applyTemplate(
      emptyComposer('investigating'),
      template,
      context(['API'], '2026-11-23T10:00:50Z'),
      true,
    );
    expect(
      refreshedBeforePosting(filled, template, context(['API'], '2026-11-23T10:01:05Z'), { withName: true }),
    ).toBeNull();
    const refreshed = refreshedBeforePosting(filled, template, context(['API', 'Web'], '2026-11-23T10:01:05Z'), {
      withName: true,
    });
    expect(refreshed?.name).toBe('Issues with API and Web');
    // Edited text is never refreshed behind the lead's back, even when the components changed.
    const edited = { ...filled, body: 'Ours.', name: 'Our title' };
    expect(
      refreshedBeforePosting(edited, template, context(['Web'], '2026-11-23T10:01:05Z'), { withName: true }),
    ).toBeNull();
  });
});
