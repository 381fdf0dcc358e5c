import { describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES, MAINTENANCE_STATUSES } from '../../../src/domain/incident.ts';
import { checkTransition } from '../../../src/domain/transitions.ts';

describe('incident status transitions', () => {
  it('lets an open incident move to any incident status, backwards included', () => {
    for (const from of ['investigating', 'identified', 'monitoring'] as const) {
      for (const to of INCIDENT_STATUSES) expect(checkTransition('incident', from, to)).toEqual({ ok: true });
    }
  });

  it('lets a resolved incident take only further resolved notes', () => {
    expect(checkTransition('incident', 'resolved', 'resolved').ok).toBe(true);
    const reopen = checkTransition('incident', 'resolved', 'investigating');
    expect(reopen.ok).toBe(false);
    if (!reopen.ok) expect(reopen.reason).toMatch(/resolved/);
  });

  it('refuses maintenance statuses on an incident and says which statuses exist', () => {
    const result = checkTransition('incident', 'investigating', 'in_progress');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('investigating, identified, monitoring, resolved');
  });
});

describe('maintenance status transitions', () => {
  it('goes scheduled, in progress, verifying, completed', () => {
    expect(checkTransition('maintenance', 'scheduled', 'in_progress').ok).toBe(true);
    expect(checkTransition('maintenance', 'in_progress', 'verifying').ok).toBe(true);
    expect(checkTransition('maintenance', 'verifying', 'completed').ok).toBe(true);
  });

  it('does not go back to scheduled once started', () => {
    expect(checkTransition('maintenance', 'in_progress', 'scheduled').ok).toBe(false);
    expect(checkTransition('maintenance', 'verifying', 'scheduled').ok).toBe(false);
  });

  it('keeps a completed window completed', () => {
    for (const to of MAINTENANCE_STATUSES)
      expect(checkTransition('maintenance', 'completed', to).ok).toBe(to === 'completed');
  });

  it('refuses incident statuses on maintenance', () => {
    expect(checkTransition('maintenance', 'scheduled', 'resolved').ok).toBe(false);
  });
});
