import { describe, expect, it } from 'vitest';
import type { AlertState } from '../../../../src/domain/alerts.ts';
import {
  decideAlert,
  describeDecision,
  settleHeldDown,
  type AlertDecision,
  type AlertGroupState,
} from '../../../../src/domain/alerts/storm.ts';

const RULE = { holdDownSeconds: 300 };
const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const group = (state: AlertState, changedSecondsAgo: number, open: Partial<AlertGroupState> = {}): AlertGroupState => ({
  state,
  lastChangeAt: at(-changedSecondsAgo).toISOString(),
  draftOpen: false,
  incidentOpen: false,
  ...open,
});

/**
 * The store the service keeps (alert_groups), reduced to what decisions need: applies each
 * decision as the service would (a change moves state and lastChangeAt; an ignored alert moves
 * nothing) and counts what was done.
 */
function simulate(events: ReadonlyArray<{ fingerprint: string; state: AlertState; at: Date }>, holdDownSeconds = 300) {
  const groups = new Map<string, AlertGroupState>();
  const done = { fire: 0, resolve: 0, ignore: 0 };
  for (const event of events) {
    const decision = decideAlert({ holdDownSeconds }, groups.get(event.fingerprint) ?? null, event, event.at);
    done[decision.kind] += 1;
    if (decision.kind !== 'ignore') {
      groups.set(event.fingerprint, {
        state: event.state,
        lastChangeAt: event.at.toISOString(),
        draftOpen: decision.kind === 'fire' || (groups.get(event.fingerprint)?.draftOpen ?? false),
        incidentOpen: false,
      });
    }
  }
  return { done, groups };
}

describe('what one alert does to its group', () => {
  it.each<[string, AlertGroupState | null, AlertState, AlertDecision]>([
    ['a first firing alert fires', null, 'firing', { kind: 'fire', open: null }],
    ['a resolution never seen firing does nothing', null, 'resolved', { kind: 'ignore', reason: 'never-fired' }],
    [
      'a re-sent firing alert only refreshes last seen',
      group('firing', 5),
      'firing',
      { kind: 'ignore', reason: 'still-firing' },
    ],
    [
      'a re-sent resolution does nothing',
      group('resolved', 900),
      'resolved',
      { kind: 'ignore', reason: 'still-resolved' },
    ],
    [
      'a resolution inside the hold-down waits',
      group('firing', 299),
      'resolved',
      { kind: 'ignore', reason: 'hold-down' },
    ],
    [
      'a resolution once the hold-down has passed resolves',
      group('firing', 300),
      'resolved',
      { kind: 'resolve', open: null },
    ],
    [
      'firing again inside the hold-down waits',
      group('resolved', 10),
      'firing',
      { kind: 'ignore', reason: 'hold-down' },
    ],
    ['firing again after the hold-down fires', group('resolved', 301), 'firing', { kind: 'fire', open: null }],
    [
      'firing again while its draft is open updates that draft',
      group('resolved', 600, { draftOpen: true }),
      'firing',
      { kind: 'fire', open: 'draft' },
    ],
    [
      'a resolution names the incident before the draft',
      group('firing', 600, { draftOpen: true, incidentOpen: true }),
      'resolved',
      { kind: 'resolve', open: 'incident' },
    ],
    [
      'a stored time that cannot be read holds nothing down',
      { ...group('firing', 0), lastChangeAt: 'not a time' },
      'resolved',
      { kind: 'resolve', open: null },
    ],
  ])('%s', (_, stored, state, decision) => {
    expect(decideAlert(RULE, stored, { state }, at(0))).toEqual(decision);
  });

  it('applies a resolution the hold-down swallowed once the hold-down has passed, with no alert to carry it', () => {
    const held = { ...group('firing', 100), receivedState: 'resolved' as const };
    expect(settleHeldDown(RULE, held, at(0))).toEqual({ kind: 'ignore', reason: 'hold-down' });
    expect(settleHeldDown(RULE, held, at(200))).toEqual({ kind: 'resolve', open: null });
    expect(settleHeldDown(RULE, { ...held, receivedState: 'firing' }, at(200))).toEqual({
      kind: 'ignore',
      reason: 'still-firing',
    });
  });

  it('applies every change at once with no hold-down', () => {
    expect(decideAlert({ holdDownSeconds: 0 }, group('firing', 0), { state: 'resolved' }, at(0)).kind).toBe('resolve');
  });

  it.each<[AlertDecision, string]>([
    [{ kind: 'fire', open: null }, 'Firing'],
    [{ kind: 'resolve', open: 'draft' }, 'Resolved (its draft is still open)'],
    [{ kind: 'ignore', reason: 'still-firing' }, 'Ignored: already firing, last seen updated'],
    [{ kind: 'ignore', reason: 'hold-down' }, 'Ignored: inside the hold-down after the last change'],
  ])('describes %j as %j', (decision, words) => {
    expect(describeDecision(decision)).toBe(words);
  });
});

describe('a storm', () => {
  it('of 1,000 firing alerts across 50 fingerprints in a minute fires exactly 50 times', () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({
      // Interleaved as Alertmanager's groups re-send: fingerprint 0..49, over and over, 60 ms apart.
      fingerprint: `fp-${(i * 7) % 50}`,
      state: 'firing' as const,
      at: new Date(T0 + i * 60),
    }));
    const { done, groups } = simulate(events);
    expect(done).toEqual({ fire: 50, resolve: 0, ignore: 950 });
    expect(groups.size).toBe(50);
  });

  it('of 50 alerts flapping every second for a minute fires 50 times and changes nothing else', () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({
      fingerprint: `fp-${i % 50}`,
      state: Math.floor(i / 50) % 2 === 0 ? ('firing' as const) : ('resolved' as const),
      at: new Date(T0 + i * 60),
    }));
    expect(simulate(events).done).toEqual({ fire: 50, resolve: 0, ignore: 950 });
  });

  it('applies the final state of a flapping alert with the first alert after the hold-down', () => {
    const flapping = (seconds: number, state: AlertState) => ({ fingerprint: 'db', state, at: at(seconds) });
    const { done, groups } = simulate([
      flapping(0, 'firing'), // fires
      flapping(10, 'resolved'), // inside the hold-down: ignored
      flapping(20, 'firing'), // same state as applied: ignored
      flapping(30, 'resolved'), // inside the hold-down: ignored
      flapping(299, 'resolved'), // still inside: ignored
      flapping(300, 'resolved'), // the re-send after the hold-down: resolves
      flapping(310, 'firing'), // a new hold-down from 300: ignored
      flapping(600, 'firing'), // fires again
    ]);
    expect(done).toEqual({ fire: 2, resolve: 1, ignore: 5 });
    expect(groups.get('db')).toMatchObject({ state: 'firing', lastChangeAt: at(600).toISOString() });
  });
});
