import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as AdaptiveCards from 'adaptivecards';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../../src/render/slack-message.ts';
import type { TeamsMessage } from '../../../src/render/teams-card.ts';
import type { IncidentView } from '../../../src/services/incident-view.ts';
import { blockKitViolations } from '../../helpers/block-kit-limits.ts';
import { type Answer, type Received, receiverEnv, startChannelReceiver } from '../../helpers/channel-receiver.ts';
import { BASE, type Harness, json, startHarness } from '../../helpers/harness.ts';

// The package's ES build imports its own files without extensions, which Node refuses; its UMD
// build is the same code in one file, and parsing a card needs no DOM (as in teams-card.test.ts).
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

type Receiver = Awaited<ReturnType<typeof startChannelReceiver>>;
type Subscriber = { id: number; target: string; disabled_at: string | null; disabled_reason: string | null };
type Problem = { status: number; title: string; detail: string };

const CODE = /\b\d{4}-\d{4}\b/;
const slackOf = (r: Received) => JSON.parse(r.body) as SlackMessage;
const teamsOf = (r: Received) => JSON.parse(r.body) as TeamsMessage;
/** An incident or maintenance message (not a code or a test): it carries the permalink. */
const isSlackUpdate = (r: Received) =>
  slackOf(r).blocks.some(
    (b) => b.type === 'actions' && b.elements.some((e) => e.action_id === 'herald_open_permalink'),
  );
const isTeamsUpdate = (r: Received) => /"(View incident|View maintenance)"/.test(r.body);

/** Slack's side: every message within Block Kit's limits, or it is refused with 400. */
function checkBlockKit(request: Received): void {
  const problems = blockKitViolations(JSON.parse(request.body));
  if (problems.length) throw new Error(problems.join('; '));
}

/** Teams' side: the envelope of a Workflows post, and a card Microsoft's library reads without a word. */
function checkTeamsCard(request: Received): void {
  const message = teamsOf(request);
  if (message.type !== 'message') throw new Error(`type ${String(message.type)}`);
  const [attachment, ...more] = message.attachments;
  if (!attachment || more.length) throw new Error('not exactly one attachment');
  if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive')
    throw new Error(`contentType ${attachment.contentType}`);
  const content = attachment.content;
  if (content.version !== '1.5') throw new Error(`version ${content.version}`);
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(content, context);
  const problems = [
    ...Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message),
    ...card.validateProperties().validationEvents.map((e) => e.message),
  ];
  if (problems.length) throw new Error(problems.join('; '));
  if (!content.actions.some((a) => a.type === 'Action.OpenUrl' && /^https?:\/\//.test(a.url)))
    throw new Error('no Action.OpenUrl');
}

/** A 10,000-character update with headings, bold, links (with & in them), lists and characters Slack escapes. */
function longMarkdown(): string {
  let text = '';
  for (let i = 1; text.length < 10_000; i++)
    text +=
      `## Step ${i}\n\nWe **rolled back** deploy ${i} ([details](https://example.com/deploys/${i}?a=1&b=2)); ` +
      `errors < 1% & latency > normal for _some_ users.\n\n- checked the **primary**\n- drained the queue\n` +
      `1. restarted workers\n2. watched [the dashboard](/status)\n\n`;
  return text.slice(0, 10_000);
}

describe('Slack and Teams subscribers: a code typed back, the outbox, limits of each side', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-slack-teams-'));
  let h: Harness;
  const names = { api: 'API', web: 'Web', db: 'Database', queue: 'Queue', cdn: 'CDN' };
  const components: Record<keyof typeof names, string> = { api: '', web: '', db: '', queue: '', cdn: '' };

  beforeAll(async () => {
    h = await startHarness({ env: receiverEnv(dir) });
    for (const [key, name] of Object.entries(names) as Array<[keyof typeof names, string]>)
      components[key] = (
        await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name } }))
      ).id;
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Asks for a subscription and reads the code the way a person would: from the message in the channel. */
  async function requestCode(receiver: Receiver, channel: 'slack' | 'teams', path: string, scope: object) {
    const before = receiver.received.length;
    const response = await h.call('POST', '/api/public/subscriptions', {
      as: null,
      body: { channel, url: receiver.url(path), ...scope },
    });
    expect(response.status).toBe(202);
    const { pending } = await json<{ pending: string }>(response);
    const posted = receiver.received.slice(before).filter((r) => r.path === path);
    expect(posted).toHaveLength(1);
    const code = CODE.exec(posted[0]?.body ?? '')?.[0];
    expect(code).toBeDefined();
    return { pending, code: code ?? '' };
  }
  const confirm = (pending: string, code: string) =>
    h.call('POST', '/api/public/subscriptions/confirm', { as: null, body: { pending, code } });
  const subscribe = async (receiver: Receiver, channel: 'slack' | 'teams', path: string, scope: object) => {
    const { pending, code } = await requestCode(receiver, channel, path, scope);
    const response = await confirm(pending, code);
    expect(response.status).toBe(200);
    return json<{ manage_url: string }>(response);
  };
  const createIncident = async (name: string, body: string, affected: Record<string, string>) => {
    const response = await h.call('POST', '/api/admin/incidents', {
      body: { name, impact: 'major', body, components: affected, notify: true },
    });
    expect(response.status).toBe(201);
    return json<IncidentView>(response);
  };
  const subscriberAt = async (channel: string, search: string) => {
    const list = await json<Subscriber[]>(
      await h.call('GET', `/api/admin/subscribers?channel=${channel}&search=${search}`),
    );
    expect(list).toHaveLength(1);
    return list[0] as Subscriber;
  };

  describe('Slack', () => {
    let slack: Receiver;
    /** Requests answered with something other than 2xx: not delivered. */
    const refused = new Set<Received>();
    let throttled = false;

    beforeAll(async () => {
      slack = await startChannelReceiver({
        check: checkBlockKit,
        // Like Slack under load: the first update is answered 429 with Retry-After, then all pass.
        answer: (request): Answer => {
          if (throttled || !isSlackUpdate(request)) return { status: 200 };
          throttled = true;
          refused.add(request);
          return { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' };
        },
      });
    });
    afterAll(() => slack.close());

    it('refuses wrong codes with 422, and after five tries refuses even the right one (429)', async () => {
      const { pending, code } = await requestCode(slack, 'slack', '/slack/guess', { components: [components.api] });
      const wrong = code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
      for (let i = 0; i < 5; i++) {
        const response = await confirm(pending, wrong);
        expect(response.status).toBe(422);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
      const refusedRight = await confirm(pending, code);
      expect(refusedRight.status).toBe(429);
      expect(refusedRight.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(refusedRight.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await json<Problem>(refusedRight)).detail).toMatch(/too many tries/i);
    });

    it('delivers one long incident once, after honouring Retry-After, within Block Kit limits', async () => {
      const { manage_url } = await subscribe(slack, 'slack', '/slack/ops', { components: [components.api] });
      const created = await createIncident('API errors & <timeouts>', longMarkdown(), {
        [components.api]: 'major_outage',
      });
      const updates = () => slack.received.filter((r) => r.path === '/slack/ops' && isSlackUpdate(r));

      await h.runtime.notifier.drain();
      expect(updates()).toHaveLength(1); // answered 429
      await h.runtime.notifier.drain();
      expect(updates()).toHaveLength(1); // not due before Retry-After
      h.clock.advance(1_000);
      await h.runtime.notifier.drain();

      expect(slack.rejected).toEqual([]);
      expect(refused.size).toBe(1);
      const delivered = updates().filter((r) => !refused.has(r));
      expect(delivered).toHaveLength(1);
      // The one the code was guessed for never started: it hears nothing.
      expect(slack.received.filter((r) => r.path === '/slack/guess' && isSlackUpdate(r))).toEqual([]);

      const message = slackOf(delivered[0] as Received);
      expect(message.blocks.map((b) => b.type)).toEqual(
        expect.arrayContaining(['header', 'section', 'actions', 'context']),
      );
      expect(message.blocks[0]).toMatchObject({
        type: 'header',
        text: { text: 'API errors & <timeouts> — Investigating' },
      });
      const permalink = `${BASE}/incidents/${created.code}#update-${created.incident_updates[0]?.id}`;
      const buttons = message.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
      expect(buttons).toContainEqual(expect.objectContaining({ type: 'button', url: permalink }));
      const sections = message.blocks.flatMap((b) => (b.type === 'section' && 'text' in b ? [b.text.text] : []));
      for (const text of sections) expect(text.length).toBeLessThanOrEqual(3_000);
      expect(sections.join('\n')).toContain('\n• API: Operational → Major Outage');
      // The body was cut, between words, with a link to the rest.
      expect(sections.at(-1)).toMatch(/… <[^|>]+\|Read more>$/);
      expect(sections.at(-1)).toContain('*rolled back*');
      const context = message.blocks.at(-1);
      expect(context?.type).toBe('context');
      const links = context?.type === 'context' ? context.elements[0]?.text : '';
      expect(links).toBe(`<${manage_url}|Manage subscription> · <${manage_url}/unsubscribe|Unsubscribe>`);
    });
  });

  it('Teams: a card that parses without a warning for the incident and its resolution', async () => {
    const teams = await startChannelReceiver({ check: checkTeamsCard });
    try {
      const { pending, code } = await requestCode(teams, 'teams', '/teams/ops', { components: [components.web] });
      const wrong = await confirm(
        pending,
        code.replace(/\d/g, (d) => String((Number(d) + 1) % 10)),
      );
      expect(wrong.status).toBe(422);
      expect((await confirm(pending, code)).status).toBe(200);

      const created = await createIncident('Web slow', 'Pages take **seconds** to load.', {
        [components.web]: 'degraded_performance',
      });
      await h.runtime.notifier.drain();
      const resolved = await h.call('POST', `/api/admin/incidents/${created.id}/resolve`, {
        body: { body: 'Back to normal; see [the report](https://example.com/report).', notify: true },
      });
      expect(resolved.status).toBe(200);
      const resolution = (await json<IncidentView>(resolved)).incident_updates.find((u) => u.status === 'resolved');
      await h.runtime.notifier.drain();

      expect(teams.rejected).toEqual([]);
      const cards = teams.received.filter(isTeamsUpdate).map((r) => teamsOf(r).attachments[0].content);
      expect(cards.map((c) => c.body[1]?.type === 'TextBlock' && c.body[1].text)).toEqual([
        'Web slow — Investigating',
        'Web slow — Resolved',
      ]);
      expect(cards[1]?.actions).toEqual([
        {
          type: 'Action.OpenUrl',
          title: 'View incident',
          url: `${BASE}/incidents/${created.code}#update-${resolution?.id}`,
        },
      ]);
      expect(JSON.stringify(cards[1])).toContain('[the report](https://example.com/report)');
    } finally {
      await teams.close();
    }
  });

  it('disables a Slack channel that is gone (404), shows why, posts nothing more, until re-enabled', async () => {
    let gone = false;
    const slack = await startChannelReceiver({
      check: checkBlockKit,
      answer: () => (gone ? { status: 404, body: 'channel_not_found' } : { status: 200 }),
    });
    try {
      await subscribe(slack, 'slack', '/slack/gone', { components: [components.db] });
      gone = true;
      const posts = () => slack.received.filter((r) => r.path === '/slack/gone').length;

      await createIncident('DB failover', 'Failing over.', { [components.db]: 'partial_outage' });
      await h.runtime.notifier.drain();
      const disabled = await subscriberAt('slack', 'gone');
      expect(disabled.disabled_at).not.toBeNull();
      expect(disabled.disabled_reason).toMatch(/404.*gone/);

      const seen = posts();
      await createIncident('DB slow again', 'Looking.', { [components.db]: 'degraded_performance' });
      await h.runtime.notifier.drain();
      expect(posts()).toBe(seen);

      const test = await h.call('POST', `/api/admin/subscribers/${disabled.id}/test`);
      expect(test.status).toBe(200);
      expect(await json(test)).toMatchObject({ delivered: false, error: expect.stringMatching(/404/) });

      gone = false;
      const enabled = await h.call('PATCH', `/api/admin/subscribers/${disabled.id}`, { body: { disabled: false } });
      expect(enabled.status).toBe(200);
      expect(await json(enabled)).toMatchObject({ id: disabled.id, disabled_at: null, disabled_reason: null });
      const before = posts();
      await createIncident('DB back', 'Recovering.', { [components.db]: 'degraded_performance' });
      await h.runtime.notifier.drain();
      expect(
        slack.received
          .filter((r) => r.path === '/slack/gone')
          .slice(before)
          .filter(isSlackUpdate),
      ).toHaveLength(1);
      expect(slack.rejected).toEqual([]);
    } finally {
      await slack.close();
    }
  });

  it('tells a webhook subscriber of one component about windows on it, and not on others', async () => {
    const hook = await startChannelReceiver();
    try {
      const subscribed = await h.call('POST', '/api/public/subscriptions', {
        as: null,
        body: { channel: 'webhook', url: hook.url('/maintenance'), components: [components.queue] },
      });
      expect(subscribed.status).toBe(201);
      const schedule = async (name: string, on: string) => {
        const response = await h.call('POST', '/api/admin/maintenance', {
          body: {
            name,
            body: 'Moving to new hosts.',
            components: [on],
            scheduled_for: '2026-11-30T02:00:00Z',
            scheduled_until: '2026-11-30T03:00:00Z',
            notify: true,
          },
        });
        expect(response.status).toBe(201);
        await h.runtime.notifier.drain();
      };
      await schedule('Queue move', components.queue);
      await schedule('CDN move', components.cdn);

      const heard = hook.received
        .map((r) => JSON.parse(r.body) as { type: string; incident?: { name: string } })
        .filter((d) => d.type !== 'subscription.test');
      expect(heard.map((d) => [d.type, d.incident?.name])).toEqual([['maintenance.scheduled', 'Queue move']]);
    } finally {
      await hook.close();
    }
  });
});

describe('no server-side request forgery through the public subscribe API', () => {
  let h: Harness;
  let tripwire: Server;
  let connections = 0;
  let port = 0;

  beforeAll(async () => {
    // Without receiverEnv: no allowlist, no test CA, as in production.
    h = await startHarness();
    // A bare TCP listener on every loopback address (v4, v6, v4-mapped): it counts connections,
    // which a TLS receiver could not see if the handshake failed.
    tripwire = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => tripwire.listen(0, '::', resolve));
    port = (tripwire.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await h.close();
    await new Promise<void>((resolve) => tripwire.close(() => resolve()));
  });

  it('refuses loopback, private, link-local and mapped addresses with 422, and connects to none', async () => {
    const urls = [
      `https://127.0.0.1:${port}/`,
      `https://localhost:${port}/`, // a name that resolves to loopback: judged by its addresses
      'https://10.1.2.3/',
      'https://169.254.169.254/latest',
      `https://[::1]:${port}/`,
      `https://[::ffff:127.0.0.1]:${port}/`,
    ];
    for (const channel of ['slack', 'teams', 'webhook']) {
      for (const url of urls) {
        const response = await h.call('POST', '/api/public/subscriptions', { as: null, body: { channel, url } });
        expect(response.status, `${channel} ${url}`).toBe(422);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect((await json<Problem>(response)).detail, `${channel} ${url}`).toMatch(
          /loopback|private|link-local|non-public/,
        );
      }
      // Ten channel subscriptions an hour from one address: the next channel starts a new hour.
      h.clock.advance(2 * 3_600_000);
    }
    expect(connections).toBe(0);
    expect(await json<unknown[]>(await h.call('GET', '/api/admin/subscribers'))).toEqual([]);
  });
});
