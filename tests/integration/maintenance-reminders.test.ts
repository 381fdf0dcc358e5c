import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentView } from '../../src/services/incident-view.ts';
import { runMaintenanceSchedule } from '../../src/services/maintenance.ts';
import { confirmSubscription } from '../../src/services/subscribers.ts';
import { type Harness, json, startHarness } from '../helpers/harness.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';

type Window = IncidentView;

describe('maintenance reminders, queued by the scheduler and mailed to a real SMTP server', () => {
  let smtp: SmtpSink;
  let h: Harness;
  let database = '';
  let web = '';

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startHarness({
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Acme Status <status@acme.test>', HERALD_RETRY_BASE_MS: '10' },
    });
    await h.call('PATCH', '/api/admin/settings', { body: { page_name: 'Acme' } });
    database = (
      await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'Database' } }))
    ).id;
    web = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'Web' } }))).id;
    await subscribe('dba@example.com', [database]);
    await subscribe('webmaster@example.com', [web]);
    await subscribe('everything@example.com', 'all');
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });

  async function subscribe(email: string, components: string[] | 'all'): Promise<void> {
    const res = await h.call('POST', '/api/public/subscriptions', { as: null, body: { email, components } });
    expect(res.status).toBe(202);
    await h.runtime.mailLoop.drain();
    const token = /\/subscriptions\/confirm\/([\w-]+)/.exec(smtp.to(email).at(-1)?.parsed.text ?? '')?.[1] ?? '';
    await confirmSubscription(h.runtime.ctx, token, 'test');
  }

  async function schedule(body: Record<string, unknown>): Promise<Window> {
    const res = await h.call('POST', '/api/admin/maintenance', {
      as: 'editor',
      body: { name: 'Database upgrade', body: 'Upgrading the primary.', components: [database], ...body },
    });
    expect(res.status).toBe(201);
    return json<Window>(res);
  }

  const tick = () => runMaintenanceSchedule(h.runtime.ctx);
  const reminders = (address: string) =>
    smtp.to(address).filter((m) => m.parsed.subject?.startsWith('[Acme] Reminder:'));
  const queued = async (id: string) =>
    (
      await h.runtime.db
        .selectFrom('notifications')
        .select('id')
        .where('incident_id', '=', id)
        .where('event', '=', 'maintenance.reminder')
        .execute()
    ).length;

  it('mails the followers of the window’s components once, remind-minutes before it starts', async () => {
    h.clock.set('2026-11-23T10:00:00Z');
    const m = await schedule({ scheduled_for: '2026-11-23T14:00:00Z', scheduled_until: '2026-11-23T15:00:00Z' });
    expect(m.remind_minutes_before).toBe(60);
    await h.runtime.notifier.drain();

    h.clock.set('2026-11-23T12:59:59Z');
    expect((await tick()).reminded).toEqual([]);
    h.clock.set('2026-11-23T13:00:00Z');
    expect((await tick()).reminded).toEqual([m.id]);
    expect((await tick()).reminded).toEqual([]);
    await h.runtime.notifier.drain();

    for (const address of ['dba@example.com', 'everything@example.com']) {
      const mails = reminders(address);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.parsed.subject).toBe(
        '[Acme] Reminder: Database upgrade starts at 23 Nov 2026, 14:00 UTC (in 60 minutes)',
      );
      expect(mails[0]?.parsed.text).toContain('Maintenance starts at 23 Nov 2026, 14:00 UTC (in 60 minutes).');
      expect(mails[0]?.parsed.text).toContain('Upgrading the primary.');
    }
    expect(reminders('webmaster@example.com')).toHaveLength(0);
    // The reminder threads under the announcement of the window.
    const announcement = smtp.to('dba@example.com').find((mail) => mail.parsed.subject?.includes('Scheduled'));
    expect(reminders('dba@example.com')[0]?.parsed.inReplyTo).toBe(announcement?.parsed.messageId);
  });

  it('queues one reminder when two scheduler passes run at once', async () => {
    h.clock.set('2026-11-24T10:00:00Z');
    const m = await schedule({ scheduled_for: '2026-11-24T12:00:00Z', scheduled_until: '2026-11-24T13:00:00Z' });
    h.clock.set('2026-11-24T11:30:00Z');
    const passes = await Promise.all([tick(), tick(), tick()]);
    expect(passes.flatMap((p) => p.reminded)).toEqual([m.id]);
    expect(await queued(m.id)).toBe(1);
  });

  it('does not remind of a cancelled window, a window without a reminder, one announced too late or silently', async () => {
    h.clock.set('2026-11-25T10:00:00Z');
    const window = { scheduled_for: '2026-11-25T14:00:00Z', scheduled_until: '2026-11-25T15:00:00Z' };
    const cancelled = await schedule({ ...window, name: 'Cancelled' });
    const none = await schedule({ ...window, name: 'No reminder', remind_minutes_before: null });
    const silent = await schedule({ ...window, name: 'Silent', notify: false });
    expect(none.remind_minutes_before).toBeNull();
    expect(
      (await h.call('POST', `/api/admin/maintenance/${cancelled.id}/cancel`, { body: { notify: false } })).status,
    ).toBe(200);
    h.clock.set('2026-11-25T13:45:00Z');
    // Announced 15 minutes before its start: the announcement is the notice.
    const late = await schedule({ ...window, name: 'Late' });
    h.clock.set('2026-11-25T13:50:00Z');
    expect((await tick()).reminded).toEqual([]);
    for (const m of [cancelled, none, silent, late]) expect(await queued(m.id)).toBe(0);
  });

  it('reminds again when the window moves to a start whose reminder time is ahead, and not otherwise', async () => {
    h.clock.set('2026-11-26T10:00:00Z');
    const m = await schedule({ scheduled_for: '2026-11-26T14:00:00Z', scheduled_until: '2026-11-26T15:00:00Z' });
    h.clock.set('2026-11-26T13:00:00Z');
    expect((await tick()).reminded).toEqual([m.id]);

    // Moved to 13:30: its reminder time has passed, and the subscribers were reminded already.
    h.clock.set('2026-11-26T13:05:00Z');
    const move = (body: Record<string, unknown>) =>
      h.call('PATCH', `/api/admin/maintenance/${m.id}`, { as: 'editor', body });
    expect((await move({ scheduled_for: '2026-11-26T13:30:00Z' })).status).toBe(200);
    expect((await tick()).reminded).toEqual([]);

    // Moved to 17:00: reminded again at 16:00.
    const moved = await json<Window>(
      await move({ scheduled_for: '2026-11-26T17:00:00Z', scheduled_until: '2026-11-26T18:00:00Z' }),
    );
    expect(moved.reminded_at).toBeNull();
    h.clock.set('2026-11-26T15:59:00Z');
    expect((await tick()).reminded).toEqual([]);
    h.clock.set('2026-11-26T16:00:00Z');
    expect((await tick()).reminded).toEqual([m.id]);
    expect(await queued(m.id)).toBe(2);

    // A reminder turned off stays off.
    const other = await schedule({ scheduled_for: '2026-11-26T20:00:00Z', scheduled_until: '2026-11-26T21:00:00Z' });
    await h.call('PATCH', `/api/admin/maintenance/${other.id}`, {
      as: 'editor',
      body: { remind_minutes_before: null },
    });
    h.clock.set('2026-11-26T19:30:00Z');
    expect((await tick()).reminded).toEqual([]);
  });

  it('takes the reminder lead through the API and refuses nonsense', async () => {
    const bad = await h.call('POST', '/api/admin/maintenance', {
      body: {
        name: 'Bad',
        body: 'x',
        scheduled_for: '2026-12-01T10:00:00Z',
        scheduled_until: '2026-12-01T11:00:00Z',
        remind_minutes_before: 0,
      },
    });
    expect(bad.status).toBe(422);
    const openapi = await json<{ paths: Record<string, { post?: unknown }> }>(
      await h.call('GET', '/api/admin/openapi.json'),
    );
    const create = JSON.stringify(openapi.paths['/maintenance']?.post);
    expect(create).toContain('remind_minutes_before');
    expect(create).toContain('null for no reminder');
  });
});
