import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/lib/slack-signature.ts';
import { blockKitViolations } from '../helpers/block-kit-limits.ts';
import { receiverEnv, startChannelReceiver } from '../helpers/channel-receiver.ts';
import { type Harness, json, startHarness } from '../helpers/harness.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

type Reply = { response_type: string; text: string; blocks: Array<{ type: string; text?: { text: string } }> };

describe('Slack as a console: /status, signed as Slack signs, with the roles of the console', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-slack-'));
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startChannelReceiver>>;
  /** Slack's Web API as far as Herald uses it: users.info, answering with the user's email. */
  let slackApi: Awaited<ReturnType<typeof startChannelReceiver>>;
  let api = '';
  let sequence = 0;

  beforeAll(async () => {
    receiver = await startChannelReceiver();
    slackApi = await startChannelReceiver({
      answer: (request) => {
        const user = new URLSearchParams(request.body).get('user');
        const email =
          request.headers.authorization === 'Bearer xoxb-test-token-123456' && user === 'UOWNER001'
            ? 'owner@example.com'
            : null;
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(
            email ? { ok: true, user: { id: user, profile: { email } } } : { ok: false, error: 'user_not_found' },
          ),
        };
      },
    });
    h = await startHarness({
      env: { ...receiverEnv(dir), HERALD_SLACK_ACK_MS: '2000', HERALD_SLACK_API_URL: slackApi.url('/api') },
    });
    expect((await h.call('PATCH', '/api/admin/settings', { body: { slack_signing_secret: SECRET } })).status).toBe(200);
    api = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'API' } }))).id;
    await h.call('POST', '/api/admin/components', { body: { name: 'Web app' } });
    const link = async (role: 'editor' | 'viewer', slackId: string) => {
      const { linkSlackUser } = await import('../../src/services/slack-commands.ts');
      const { CLI } = await import('../../src/services/actor.ts');
      await linkSlackUser(h.runtime.ctx, CLI, h.userIds[role], slackId);
    };
    await link('editor', 'UEDITOR01');
    await link('viewer', 'UVIEWER01');
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
    await slackApi.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A request as Slack sends it: a form body, signed over the raw bytes with the current time. */
  const slack = (
    text: string,
    options: { user?: string; secret?: string; timestamp?: number; responseUrl?: string } = {},
  ) => {
    const timestamp = String(options.timestamp ?? Math.floor(h.clock.now().getTime() / 1000));
    const body = new URLSearchParams({
      token: 'legacy-ignored',
      team_id: 'T1DC2JH3J',
      user_id: options.user ?? 'UEDITOR01',
      user_name: 'someone',
      command: '/status',
      text,
      response_url: options.responseUrl ?? receiver.url(`/response/${++sequence}`),
      trigger_id: `${sequence}.abc`,
    }).toString();
    const init: RequestInit = {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signSlackRequest({ signingSecret: options.secret ?? SECRET, timestamp, rawBody: body }),
      },
      body,
    };
    return Object.assign(h.app.request('http://localhost:4321/api/integrations/slack/commands', init), { init });
  };
  const reply = async (response: Response | Promise<Response>) => {
    const r = await response;
    expect(r.status).toBe(200);
    const body = await json<Reply>(r);
    expect(blockKitViolations(body)).toEqual([]);
    return body;
  };

  it('refuses requests not signed by Slack: wrong secret, stale or future timestamp, replayed', async () => {
    expect((await slack('list', { secret: 'not-the-secret-at-all-0000' })).status).toBe(401);
    const now = Math.floor(h.clock.now().getTime() / 1000);
    expect((await slack('list', { timestamp: now - 301 })).status).toBe(401);
    expect((await slack('list', { timestamp: now + 301 })).status).toBe(401);
    const first = slack('list');
    expect((await first).status).toBe(200);
    const again = await h.app.request('http://localhost:4321/api/integrations/slack/commands', first.init);
    expect(again.status).toBe(401);
    expect((await json<{ detail: string }>(again)).detail).toMatch(/already received/);
  });

  it('creates, updates and resolves an incident as the linked editor, answering in the channel', async () => {
    const created = await reply(slack('create major "Web app",API "Login fails for some users"'));
    expect(created.response_type).toBe('in_channel');
    expect(created.text).toMatch(/Incident created/);
    const list = await json<Array<{ id: string; code: string; name: string; created_by: string }>>(
      await h.call('GET', '/api/admin/incidents'),
    );
    const incident = list.find((i) => i.name === 'Login fails for some users');
    expect(incident?.created_by).toBe(h.userIds.editor);
    const code = incident?.code ?? '';
    const updated = await reply(slack(`update ${code} identified A bad deploy; rolling back.`));
    expect(updated.text).toMatch(/Incident updated/);
    const resolved = await reply(slack(`resolve ${code} All good now.`));
    expect(resolved.text).toMatch(/Incident resolved/);
    const after = await json<{ status: string; incident_updates: Array<{ author: string }> }>(
      await h.call('GET', `/api/admin/incidents/${incident?.id}`),
    );
    expect(after.status).toBe('resolved');
    expect(after.incident_updates[0]?.author).toMatch(/editor@example\.com \(Slack\)/);
    const audit = await json<Array<{ action: string; actor_id: string }>>(
      await h.call('GET', '/api/admin/audit-log?per_page=20'),
    );
    expect(audit.some((a) => a.action === 'incident.update' && a.actor_id === h.userIds.editor)).toBe(true);
  });

  it('holds an update from Slack for approval where the page asks for it, like the console does', async () => {
    await h.call('PATCH', '/api/admin/settings', { as: 'owner', body: { approval_impacts: ['major'] } });
    await reply(slack('create major API "Checkout slow"'));
    const list = await json<Array<{ id: string; code: string; name: string }>>(
      await h.call('GET', '/api/admin/incidents'),
    );
    const incident = list.find((i) => i.name === 'Checkout slow');
    const held = await reply(slack(`update ${incident?.code} identified The database is overloaded.`));
    expect(held.text).toMatch(/waiting for another member's approval/);
    const after = await json<{ status: string; incident_updates: unknown[] }>(
      await h.call('GET', `/api/admin/incidents/${incident?.id}`),
    );
    expect(after).toMatchObject({ status: 'investigating' });
    expect(after.incident_updates).toHaveLength(1);
    const pending = await json<Array<{ state: string; input: { body: string } }>>(
      await h.call('GET', `/api/admin/incidents/${incident?.id}/pending-updates`),
    );
    expect(pending).toEqual([
      expect.objectContaining({
        state: 'waiting',
        input: expect.objectContaining({ body: 'The database is overloaded.' }),
      }),
    ]);
    await h.call('PATCH', '/api/admin/settings', { as: 'owner', body: { approval_impacts: [] } });
  });

  it('lets a viewer list but not post, and tells an unlinked user how to link', async () => {
    expect((await reply(slack('list', { user: 'UVIEWER01' }))).response_type).toBe('ephemeral');
    const refused = await reply(slack(`create minor API Something`, { user: 'UVIEWER01' }));
    expect(refused.response_type).toBe('ephemeral');
    expect(JSON.stringify(refused)).toMatch(/viewer role cannot/);
    const stranger = await reply(slack('list', { user: 'USTRANGER' }));
    expect(JSON.stringify(stranger)).toMatch(/not linked/);
  });

  it('links a Slack user to the member with the same email, read with the bot token', async () => {
    expect(JSON.stringify(await reply(slack('list', { user: 'UOWNER001' })))).toMatch(/not linked/);
    await h.call('PATCH', '/api/admin/settings', { body: { slack_bot_token: 'xoxb-test-token-123456' } });
    const settings = await json<Record<string, unknown>>(await h.call('GET', '/api/admin/settings'));
    expect(settings).toMatchObject({ slack_bot_token_set: true, slack_signing_secret_set: true });
    expect(JSON.stringify(settings)).not.toContain('xoxb-');
    const created = await reply(slack('create minor API "Slow API from the owner"', { user: 'UOWNER001' }));
    expect(created.text).toMatch(/Incident created/);
    expect(JSON.stringify(await reply(slack('list', { user: 'UNOBODY01' })))).toMatch(/not linked/);
  });

  it('answers usage for unknown subcommands, unknown codes and components, in private', async () => {
    expect((await reply(slack('frobnicate'))).response_type).toBe('ephemeral');
    expect(JSON.stringify(await reply(slack('update nosuch identified Hm.')))).toMatch(
      /No incident with the code nosuch/,
    );
    expect(JSON.stringify(await reply(slack('create major Nope "A title"')))).toMatch(/No component called Nope/);
    expect(JSON.stringify(await reply(slack('create major')))).toMatch(/Usage|usage|missing/i);
  });

  it('acknowledges at once when the work takes longer, and posts the result to response_url', async () => {
    const quick = await startHarness({ env: { ...receiverEnv(dir), HERALD_SLACK_ACK_MS: '0' } });
    try {
      await quick.call('PATCH', '/api/admin/settings', { body: { slack_signing_secret: SECRET } });
      await quick.call('POST', '/api/admin/components', { body: { name: 'API' } });
      const { linkSlackUser } = await import('../../src/services/slack-commands.ts');
      const { CLI } = await import('../../src/services/actor.ts');
      await linkSlackUser(quick.runtime.ctx, CLI, quick.userIds.editor, 'UEDITOR01');
      const timestamp = String(Math.floor(quick.clock.now().getTime() / 1000));
      const body = new URLSearchParams({
        user_id: 'UEDITOR01',
        command: '/status',
        text: 'create critical API "Everything is down"',
        response_url: receiver.url('/late'),
      }).toString();
      const ack = await quick.app.request('http://localhost:4321/api/integrations/slack/commands', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': signSlackRequest({ signingSecret: SECRET, timestamp, rawBody: body }),
        },
        body,
      });
      expect((await json<Reply>(ack)).text).toMatch(/Working on it/);
      await expect.poll(() => receiver.received.filter((r) => r.path === '/late').length).toBe(1);
      const late = JSON.parse(receiver.received.find((r) => r.path === '/late')?.body ?? '{}') as Reply;
      expect(late.response_type).toBe('in_channel');
      expect(late.text).toMatch(/Incident created/);
    } finally {
      await quick.close();
    }
  });

  it('approves a draft from Slack', async () => {
    const { insertDraft } = await import('../../src/db/alerts-repo.ts');
    await insertDraft(h.runtime.db, {
      id: 'draft0000001',
      integration_id: null,
      rule_id: null,
      name: 'API errors from alerts',
      impact: 'major',
      components: JSON.stringify({ [api]: 'partial_outage' }),
      body: 'We are investigating errors on the API.',
      state: 'open',
      alert_count: 3,
      alerts_resolved_at: null,
      dismissed_reason: null,
      decided_by: null,
      decided_at: null,
      incident_id: null,
      created_at: h.clock.now().toISOString(),
      updated_at: h.clock.now().toISOString(),
    });
    expect(JSON.stringify(await reply(slack('list')))).toMatch(/draft0000001/);
    const approved = await reply(slack('approve draft0000001'));
    expect(approved.text).toMatch(/approved/i);
    const draft = await json<{ state: string; decided_by: string }>(
      await h.call('GET', '/api/admin/drafts/draft0000001'),
    );
    expect(draft).toMatchObject({ state: 'approved', decided_by: h.userIds.editor });
  });
});
