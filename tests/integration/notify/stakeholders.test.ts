import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../../src/render/slack-message.ts';
import type { TeamsMessage } from '../../../src/render/teams-card.ts';
import { CLI } from '../../../src/services/actor.ts';
import type { StakeholderMessageView } from '../../../src/services/stakeholder-messages.ts';
import { internalClockOf } from '../../../src/services/stakeholder-messages.ts';
import {
  CLAIM_LEASE_MS,
  claimStakeholderMessage,
  dueStakeholderMessages,
} from '../../../src/services/stakeholder-outbox.ts';
import type { StakeholderView } from '../../../src/services/stakeholders.ts';
import { blockKitViolations } from '../../helpers/block-kit-limits.ts';
import { type Answer, receiverEnv, startChannelReceiver } from '../../helpers/channel-receiver.ts';
import { BASE, type Harness, json, startHarness } from '../../helpers/harness.ts';
import { type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.ts';

type Receiver = Awaited<ReturnType<typeof startChannelReceiver>>;
type Problem = { status: number; detail: string; errors?: Array<{ field: string; message: string }> };

describe('internal stakeholders: told by mail, Slack and Teams about incidents of their severities', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-stakeholders-'));
  let h: Harness;
  let sink: SmtpSink;
  let slack: Receiver;
  let teams: Receiver;
  let broken: Receiver;
  let brokenAnswer: Answer = { status: 503, body: 'upstream unavailable' };
  const ids: Record<string, number> = {};

  const add = async (body: object) => {
    const response = await h.call('POST', '/api/admin/stakeholders', { body });
    expect(response.status).toBe(201);
    return json<StakeholderView>(response);
  };
  const messagesOf = async (incidentId: string) =>
    json<StakeholderMessageView[]>(await h.call('GET', `/api/admin/incidents/${incidentId}/stakeholder-messages`));
  const openIncident = async (name: string, impact: string) => {
    const response = await h.call('POST', '/api/admin/incidents', {
      body: { name, impact, body: `We are investigating **${name}**.`, notify: false },
    });
    expect(response.status).toBe(201);
    return json<{ id: string }>(response);
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    slack = await startChannelReceiver({ check: (r) => checkSlack(r.body) });
    teams = await startChannelReceiver();
    broken = await startChannelReceiver({ answer: () => brokenAnswer });
    h = await startHarness({
      env: { ...receiverEnv(dir), SMTP_URL: sink.url, MAIL_FROM: 'Acme Status <status@acme.test>' },
    });
  });
  afterAll(async () => {
    await h.close();
    await Promise.all([sink.close(), slack.close(), teams.close(), broken.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets owners add stakeholders by channel and severity, checked as the API checks everything', async () => {
    ids.cto = (await add({ name: 'CTO', channel: 'email', target: 'cto@acme.test', impacts: ['critical'] })).id;
    ids.product = (
      await add({ name: 'Product', channel: 'email', target: 'pm@acme.test', impacts: ['major', 'critical'] })
    ).id;
    const channel = await add({
      name: '#incidents',
      channel: 'slack',
      target: slack.url('/slack'),
      impacts: ['critical'],
    });
    expect(channel.impacts).toEqual(['critical']);
    ids.slack = channel.id;
    ids.teams = (
      await add({ name: 'Ops room', channel: 'teams', target: teams.url('/teams'), impacts: ['critical'] })
    ).id;
    ids.success = (
      await add({ name: 'Customer success', channel: 'email', target: 'cs@acme.test', impacts: ['minor'] })
    ).id;

    // An address where a URL belongs, a URL where an address belongs, plain http, a private address.
    const refusals = [
      { name: 'x', channel: 'slack', target: 'cto@acme.test', impacts: ['critical'] },
      { name: 'x', channel: 'email', target: slack.url(), impacts: ['critical'] },
      { name: 'x', channel: 'teams', target: 'http://example.com/hook', impacts: ['critical'] },
      { name: 'x', channel: 'slack', target: 'https://10.0.0.1/hook', impacts: ['critical'] },
      { name: 'x', channel: 'email', target: 'cto@acme.test', impacts: [] },
    ];
    for (const body of refusals) {
      const response = await h.call('POST', '/api/admin/stakeholders', { body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    const privateAddress = await json<Problem>(await h.call('POST', '/api/admin/stakeholders', { body: refusals[3] }));
    expect(privateAddress.detail).toMatch(/public address/);

    const valid = { name: 'Editor pick', channel: 'email', target: 'x@acme.test', impacts: ['critical'] };
    expect((await h.call('POST', '/api/admin/stakeholders', { as: 'editor', body: valid })).status).toBe(403);
    // Everyone may read the list; a webhook URL (a credential of its channel) is shown whole to owners only.
    const seen = await json<StakeholderView[]>(await h.call('GET', '/api/admin/stakeholders', { as: 'viewer' }));
    expect(seen.map((s) => s.name)).toEqual(['#incidents', 'CTO', 'Customer success', 'Ops room', 'Product']);
    expect(seen.find((s) => s.name === '#incidents')?.target).toMatch(/^https:\/\/localhost:\d+\/…$/);
    const whole = await json<StakeholderView[]>(await h.call('GET', '/api/admin/stakeholders'));
    expect(whole.find((s) => s.name === '#incidents')?.target).toBe(slack.url('/slack'));
  });

  let p1 = '';

  it('tells the P1 stakeholders when a P1 incident opens, soon after the commit, and not the P3-only one', async () => {
    p1 = (await openIncident('Database down', 'critical')).id;
    // No drain: the sender is woken by the commit.
    await expect.poll(() => sink.to('cto@acme.test').length, { timeout: 5_000 }).toBe(1);
    await expect.poll(() => slack.received.length, { timeout: 5_000 }).toBe(1);
    await expect.poll(() => teams.received.length, { timeout: 5_000 }).toBe(1);
    await expect.poll(() => sink.to('pm@acme.test').length, { timeout: 5_000 }).toBe(1);
    expect(sink.to('cs@acme.test')).toEqual([]);

    const mail = sink.to('cto@acme.test')[0]?.parsed;
    expect(mail?.subject).toBe('[P1 · Critical] Incident opened: Database down');
    expect(mail?.from?.value).toEqual([{ name: 'Acme Status', address: 'status@acme.test' }]);
    expect(mail?.text).toContain('Status: Investigating');
    expect(mail?.text).toContain('We are investigating **Database down**.');
    expect(mail?.text).toContain('Opened by owner@example.com (token owner token) and published on the status page.');
    expect(mail?.text).toContain(`${BASE}/admin/incidents/${p1}`);
    expect(mail?.html).toContain('<strong>Database down</strong>');

    const posted = JSON.parse(slack.received[0]?.body ?? '{}') as SlackMessage;
    expect(posted.text).toContain('[P1 · Critical] Incident opened: Database down');
    expect(JSON.stringify(posted.blocks)).toContain(`${BASE}/admin/incidents/${p1}`);
    expect(slack.rejected).toEqual([]);
    const card = JSON.parse(teams.received[0]?.body ?? '{}') as TeamsMessage;
    expect(card.type).toBe('message');
    expect(card.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.attachments[0].content.actions[0]?.url).toBe(`${BASE}/admin/incidents/${p1}`);
  });

  it('tells them each public update and the resolution too, and records who was told what', async () => {
    await h.call('POST', `/api/admin/incidents/${p1}/updates`, {
      body: { status: 'identified', body: 'A full disk on the primary.', notify: false },
    });
    await h.call('POST', `/api/admin/incidents/${p1}/resolve`, { body: { body: 'Space freed; all is well.' } });
    await h.runtime.stakeholderSender.drain();
    expect(sink.to('cto@acme.test').map((m) => m.parsed.subject)).toEqual([
      '[P1 · Critical] Incident opened: Database down',
      '[P1 · Critical] Internal update: Database down',
      '[P1 · Critical] Resolved: Database down',
    ]);
    expect(sink.to('cto@acme.test')[1]?.parsed.text).toContain('A full disk on the primary.');
    expect(slack.received).toHaveLength(3);
    expect(teams.received).toHaveLength(3);
    expect(sink.to('cs@acme.test')).toEqual([]);

    const log = await messagesOf(p1);
    expect(log).toHaveLength(12);
    expect(new Set(log.map((m) => m.state))).toEqual(new Set(['sent']));
    expect(log.filter((m) => m.stakeholder === 'CTO').map((m) => m.event)).toEqual(['resolved', 'update', 'opened']);
    // A viewer reads the log; the webhook's path stays hidden from them.
    const viewer = await json<StakeholderMessageView[]>(
      await h.call('GET', `/api/admin/incidents/${p1}/stakeholder-messages`, { as: 'viewer' }),
    );
    expect(viewer.find((m) => m.channel === 'slack')?.target).not.toContain('/slack');
    expect((await h.call('GET', '/api/admin/incidents/nope/stakeholder-messages')).status).toBe(404);
  });

  it('retries a receiver that fails, then gives up and says why', async () => {
    const stakeholder = await add({
      name: 'Flaky channel',
      channel: 'slack',
      target: broken.url('/broken'),
      impacts: ['major'],
    });
    const incident = await openIncident('Slow checkout', 'major');
    await h.runtime.stakeholderSender.drain();
    let [message] = (await messagesOf(incident.id)).filter((m) => m.stakeholder_id === stakeholder.id);
    expect(message).toMatchObject({ state: 'pending', attempts: 1 });
    expect(message?.last_error).toContain('the receiver answered 503: upstream unavailable');
    expect(sink.to('pm@acme.test').at(-1)?.parsed.subject).toBe('[P2 · High] Incident opened: Slow checkout');

    // The backoff doubles up to an hour (±50 %): two hours on, each retry is due.
    for (let attempt = 2; attempt <= 12; attempt++) {
      h.clock.advance(2 * 3_600_000);
      await h.runtime.stakeholderSender.drain();
    }
    [message] = (await messagesOf(incident.id)).filter((m) => m.stakeholder_id === stakeholder.id);
    expect(message).toMatchObject({ state: 'failed', attempts: 12, next_attempt_at: null });
    expect(message?.last_error).toContain('503');
    expect(broken.received).toHaveLength(12);

    // A receiver that says the channel is gone is not asked again.
    brokenAnswer = { status: 404, body: 'no_service' };
    const second = await openIncident('Slow search', 'major');
    await h.runtime.stakeholderSender.drain();
    [message] = (await messagesOf(second.id)).filter((m) => m.stakeholder_id === stakeholder.id);
    expect(message).toMatchObject({ state: 'failed', attempts: 1 });
    expect(message?.last_error).toContain('the webhook or channel is gone');
    await h.call('DELETE', `/api/admin/stakeholders/${stakeholder.id}`);
  });

  it('tells nobody about maintenance', async () => {
    const before = sink.received.length + slack.received.length + teams.received.length;
    const start = new Date(h.clock.now().getTime() + 3_600_000).toISOString();
    const until = new Date(h.clock.now().getTime() + 7_200_000).toISOString();
    const response = await h.call('POST', '/api/admin/maintenance', {
      body: { name: 'Database upgrade', body: 'Planned.', scheduled_for: start, scheduled_until: until, notify: false },
    });
    expect(response.status).toBe(201);
    await h.runtime.stakeholderSender.drain();
    expect(sink.received.length + slack.received.length + teams.received.length).toBe(before);
  });

  it('keeps the internal clock: every 30 minutes at P1 from the last thing the stakeholders heard', async () => {
    const incident = await openIncident('Login failures', 'critical');
    expect(await internalClockOf(h.runtime.ctx, CLI, incident.id)).toMatchObject({ everyMinutes: 30, due: false });
    h.clock.advance(31 * 60_000);
    expect(await internalClockOf(h.runtime.ctx, CLI, incident.id)).toMatchObject({ minutesSince: 31, due: true });
    await h.call('POST', `/api/admin/incidents/${incident.id}/updates`, {
      body: { status: 'identified', body: 'A bad certificate.', notify: false },
    });
    expect(await internalClockOf(h.runtime.ctx, CLI, incident.id)).toMatchObject({ minutesSince: 0, due: false });
    // P3 has no internal clock by default.
    const minor = await openIncident('Slow avatars', 'minor');
    expect(await internalClockOf(h.runtime.ctx, CLI, minor.id)).toBeNull();
    // The settings change the cadence; null keeps no clock at that impact.
    const settings = await h.call('PATCH', '/api/admin/settings', {
      body: { internal_cadence_critical_minutes: 15, internal_cadence_minor_minutes: null },
    });
    expect(settings.status).toBe(200);
    expect(await internalClockOf(h.runtime.ctx, CLI, incident.id)).toMatchObject({ everyMinutes: 15 });
    const tooOften = await h.call('PATCH', '/api/admin/settings', { body: { internal_cadence_major_minutes: 1 } });
    expect(tooOften.status).toBe(422);
    await h.runtime.stakeholderSender.drain();
  });

  it('changes and removes stakeholders, audited, and sends a test on request', async () => {
    const patched = await h.call('PATCH', `/api/admin/stakeholders/${ids.success}`, {
      body: { impacts: ['minor', 'major'] },
    });
    expect(patched.status).toBe(200);
    expect((await json<StakeholderView>(patched)).impacts).toEqual(['minor', 'major']);
    // The channel stays; a target that does not suit it is refused.
    const wrong = await h.call('PATCH', `/api/admin/stakeholders/${ids.success}`, { body: { target: slack.url() } });
    expect(wrong.status).toBe(422);

    const before = slack.received.length;
    const tested = await json<{ delivered: boolean; error: string | null }>(
      await h.call('POST', `/api/admin/stakeholders/${ids.slack}/test`),
    );
    expect(tested).toEqual({ delivered: true, error: null });
    expect(slack.received.length).toBe(before + 1);
    expect(slack.received.at(-1)?.body).toContain('Test message');

    expect((await h.call('DELETE', `/api/admin/stakeholders/${ids.teams}`, { as: 'editor' })).status).toBe(403);
    expect((await h.call('DELETE', `/api/admin/stakeholders/${ids.teams}`)).status).toBe(204);
    expect((await h.call('DELETE', `/api/admin/stakeholders/${ids.teams}`)).status).toBe(404);
    const audit = await json<Array<{ action: string }>>(await h.call('GET', '/api/admin/audit-log?per_page=100'));
    const actions = new Set(audit.map((e) => e.action));
    for (const action of ['stakeholder.create', 'stakeholder.update', 'stakeholder.remove', 'stakeholder.test'])
      expect(actions).toContain(action);
  });

  it('keeps queued messages across a restart, and resends only the one a dead sender had taken', async () => {
    await h.runtime.stakeholderSender.stop();
    const incident = await openIncident('Queue backlog', 'critical');
    expect((await messagesOf(incident.id)).map((m) => m.state)).toEqual(['pending', 'pending', 'pending']);
    // A sender that claimed a message and died before sending it.
    const [inFlight] = await dueStakeholderMessages(h.runtime.ctx, 1);
    expect(inFlight && (await claimStakeholderMessage(h.runtime.ctx, inFlight))).toBe(true);
    const before = {
      cto: sink.to('cto@acme.test').length,
      pm: sink.to('pm@acme.test').length,
      slack: slack.received.length,
    };
    await h.restart();
    await h.runtime.stakeholderSender.drain();
    expect((await messagesOf(incident.id)).filter((m) => m.state === 'sent')).toHaveLength(2);
    // Its claim lapses after five minutes; then it goes, once.
    h.clock.advance(CLAIM_LEASE_MS);
    await h.runtime.stakeholderSender.drain();
    expect((await messagesOf(incident.id)).map((m) => m.state)).toEqual(['sent', 'sent', 'sent']);
    expect(sink.to('cto@acme.test').length).toBe(before.cto + 1);
    expect(sink.to('pm@acme.test').length).toBe(before.pm + 1);
    expect(slack.received.length).toBe(before.slack + 1);
  });
});

/** Slack's side: every message within Block Kit's limits, or it is refused with 400. */
function checkSlack(body: string): void {
  const problems = blockKitViolations(JSON.parse(body));
  if (problems.length) throw new Error(problems.join('; '));
}
