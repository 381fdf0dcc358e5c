import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { confirmSubscription } from '../../../src/services/subscribers.ts';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';
import { type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.ts';

type Created = { id: string; code: string; incident_updates: Array<{ id: string }> };

describe('email subscribers and the notification fan-out, with a real SMTP server', () => {
  let smtp: SmtpSink;
  let h: Harness;
  let api = '';
  let web = '';
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startHarness({
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Acme Status <status@acme.test>',
        HERALD_RETRY_BASE_MS: '10',
        DKIM_DOMAIN: 'acme.test',
        DKIM_SELECTOR: 'herald',
        DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    await h.call('PATCH', '/api/admin/settings', { body: { page_name: 'Acme' } });
    api = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'API' } }))).id;
    web = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'Web' } }))).id;
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });
  afterEach(() => smtp.setPolicy(() => 'accept'));

  // The confirmation is queued with the request and sent by the mail loop: wait for it.
  const subscribe = async (email: string, components: string[] | 'all' = 'all') => {
    const res = await h.call('POST', '/api/public/subscriptions', { as: null, body: { email, components } });
    await h.runtime.mailLoop.drain();
    return res;
  };
  const confirmLink = (email: string) =>
    /\/subscriptions\/confirm\/([\w-]+)/.exec(smtp.to(email).at(-1)?.parsed.text ?? '')?.[1] ?? '';
  const drain = () => h.runtime.notifier.drain();
  const openIncident = async (components: Record<string, string>, name = 'API errors') =>
    json<Created>(
      await h.call('POST', '/api/admin/incidents', {
        body: { name, body: 'We are investigating.', components, notify: true },
      }),
    );

  it('confirms by double opt-in and sends nothing else to an unconfirmed address', async () => {
    const res = await subscribe('ann@example.com');
    expect(res.status).toBe(202);
    expect(smtp.to('ann@example.com')).toHaveLength(1);
    expect(smtp.to('ann@example.com')[0]?.parsed.subject).toBe('[Acme] Confirm your subscription');
    await openIncident({ [api]: 'degraded_performance' }, 'Before confirming');
    await drain();
    expect(smtp.to('ann@example.com')).toHaveLength(1);

    await confirmSubscription(h.runtime.ctx, confirmLink('ann@example.com'), 'test');
    await expect(confirmSubscription(h.runtime.ctx, confirmLink('ann@example.com'), 'test')).rejects.toThrow(
      /no longer valid/,
    );
  });

  it('sends at most one mail an hour to an address, and answers the same whether or not it is subscribed', async () => {
    const first = await subscribe('bob@example.com');
    const second = await subscribe('bob@example.com');
    const known = await subscribe('ann@example.com');
    expect([first.status, second.status, known.status]).toEqual([202, 202, 202]);
    expect(await second.text()).toBe(await known.text());
    expect(smtp.to('bob@example.com')).toHaveLength(1);
    h.clock.advance(61 * 60_000);
    await subscribe('bob@example.com');
    expect(smtp.to('bob@example.com')).toHaveLength(2);
  });

  it('expires confirmation links after 48 hours', async () => {
    await subscribe('late@example.com');
    const token = confirmLink('late@example.com');
    h.clock.advance(48 * 3_600_000 + 1000);
    await expect(confirmSubscription(h.runtime.ctx, token, 'test')).rejects.toThrow(/no longer valid/);
  });

  it('mails every confirmed subscriber of all components or of an affected one, once, with threading and unsubscribe headers', async () => {
    await subscribe('all@example.com');
    await confirmSubscription(h.runtime.ctx, confirmLink('all@example.com'), 'test');
    await subscribe('apifan@example.com', [api]);
    await confirmSubscription(h.runtime.ctx, confirmLink('apifan@example.com'), 'test');
    await subscribe('webfan@example.com', [web]);
    await confirmSubscription(h.runtime.ctx, confirmLink('webfan@example.com'), 'test');

    const incident = await openIncident({ [api]: 'partial_outage' }, 'Elevated API errors');
    await drain();
    const update = await json<Created>(
      await h.call('POST', `/api/admin/incidents/${incident.id}/updates`, {
        body: { status: 'identified', body: 'Found it.', notify: true },
      }),
    );
    await drain();

    expect(smtp.to('webfan@example.com').filter((m) => m.parsed.subject?.includes('Elevated'))).toHaveLength(0);
    for (const who of ['all@example.com', 'apifan@example.com']) {
      const mails = smtp.to(who).filter((m) => m.parsed.subject?.includes('Elevated API errors'));
      expect(mails.map((m) => m.parsed.subject)).toEqual([
        '[Acme] Elevated API errors: Investigating',
        '[Acme] Elevated API errors: Identified',
      ]);
      const [created, identified] = mails;
      const firstId = `<update-${incident.incident_updates[0]?.id}@localhost>`;
      expect(created?.parsed.messageId).toBe(firstId);
      expect(identified?.parsed.messageId).toBe(`<update-${update.incident_updates[0]?.id}@localhost>`);
      expect(identified?.parsed.inReplyTo).toBe(firstId);
      expect(identified?.parsed.references).toBe(firstId);
      // Unfolded: long header lines are folded onto continuation lines.
      const raw = (identified?.raw ?? '').replace(/\r?\n[ \t]+/g, ' ');
      expect(raw).toMatch(/^List-Unsubscribe: <http:\/\/localhost:4321\/subscriptions\/[\w.-]+\/unsubscribe>\r?$/m);
      expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
      expect(identified?.parsed.text).toContain('Found it.');
      expect(identified?.parsed.text).toContain('API: Partial Outage');
      expect(identified?.parsed.text).toContain(`/incidents/${incident.code}#update-`);
      expect(identified?.parsed.html).toContain('<p>Found it.</p>');
      const dkim = /DKIM-Signature:[^]*?[\s;]h=([^;]+);/i.exec(raw)?.[1]?.replace(/\s+/g, '').toLowerCase() ?? '';
      expect(dkim.split(':')).toEqual(
        expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'from', 'subject']),
      );
    }
    const figures = await json<Array<{ update_id: string; sent: number; pending: number; failed: number }>>(
      await h.call('GET', `/api/admin/incidents/${incident.id}/deliveries`, { as: 'viewer' }),
    );
    expect(figures.every((f) => f.sent >= 2 && f.pending === 0 && f.failed === 0)).toBe(true);
  });

  it('marks a permanent refusal failed, counts it against the subscriber and disables them after repeated hard bounces', async () => {
    await subscribe('gone@example.com');
    await confirmSubscription(h.runtime.ctx, confirmLink('gone@example.com'), 'test');
    smtp.setPolicy((address) => (address === 'gone@example.com' ? 550 : 'accept'));
    const bounced: Created[] = [];
    for (const name of ['Bounce one', 'Bounce two', 'Bounce three', 'Bounce four']) {
      bounced.push(await openIncident({}, name));
      await drain();
    }
    // Who did not get it, for the lead to follow up: the address and the server's reason, to editors only.
    const first = bounced[0];
    const failedList = await h.call('GET', `/api/admin/incidents/${first?.id}/deliveries/failed`, { as: 'editor' });
    expect(await json(failedList)).toEqual([
      {
        update_id: first?.incident_updates[0]?.id,
        channel: 'email',
        recipient: 'gone@example.com',
        attempts: 1,
        error: expect.stringMatching(/550|No such user/),
      },
    ]);
    expect((await h.call('GET', `/api/admin/incidents/${first?.id}/deliveries/failed`, { as: 'viewer' })).status).toBe(
      403,
    );
    const subscriber = await h.runtime.db
      .selectFrom('subscribers')
      .selectAll()
      .where('email', '=', 'gone@example.com')
      .executeTakeFirstOrThrow();
    expect(subscriber.bounce_count).toBe(3);
    expect(subscriber.disabled_at).not.toBeNull();
    const failed = await h.runtime.db
      .selectFrom('deliveries')
      .selectAll()
      .where('subscriber_id', '=', subscriber.id)
      .where('state', '=', 'failed')
      .execute();
    expect(failed).toHaveLength(3);
    expect(failed[0]?.last_error).toMatch(/550|No such user/);
  });

  it('exports and imports subscribers as CSV, audited, refusing a bad file whole', async () => {
    const csv = await (await h.call('GET', '/api/admin/subscribers/export.csv', { as: 'editor' })).text();
    expect(csv.split('\n')[0]).toBe('email,components,confirmed_at,created_at');
    expect(csv).toContain('apifan@example.com,' + api);
    const bad = await h.call('POST', '/api/admin/subscribers/import', {
      as: 'editor',
      body: { csv: 'ok@example.com\nnot-an-email' },
    });
    expect(bad.status).toBe(422);
    expect(
      await h.runtime.db.selectFrom('subscribers').select('id').where('email', '=', 'ok@example.com').execute(),
    ).toHaveLength(0);
    const good = await json(
      await h.call('POST', '/api/admin/subscribers/import', {
        as: 'editor',
        body: { csv: `email,components\nnew1@example.com,all\nnew2@example.com,${web}\nann@example.com,all` },
      }),
    );
    expect(good).toEqual({ imported: 2, skipped: 1 });
    const listed = await h.call('GET', '/api/admin/subscribers?search=new2', { as: 'editor' });
    expect(await json(listed)).toEqual([
      expect.objectContaining({ email: 'new2@example.com', components: [web], source: 'import' }),
    ]);
    const counts = await json<{ email_confirmed: number }>(
      await h.call('GET', '/api/admin/subscribers/counts', { as: 'viewer' }),
    );
    // ann, all, apifan, webfan and the two imported; gone@ is disabled, bob@ and late@ never confirmed.
    expect(counts.email_confirmed).toBe(6);
    const audit = await json<Array<{ action: string }>>(
      await h.call('GET', '/api/admin/audit-log?action=subscriber.import'),
    );
    expect(audit).toHaveLength(1);
    expect((await h.call('GET', '/api/admin/subscribers', { as: 'viewer' })).status).toBe(403);
  });

  it('serves Prometheus metrics to API tokens only', async () => {
    expect((await h.call('GET', '/metrics', { as: null })).status).toBe(401);
    const text = await (await h.call('GET', '/metrics', { as: 'viewer' })).text();
    // Sends are counted as they happen; herald_deliveries keeps counting every sent delivery,
    // from the fan-out counts and the rows of retries that went through.
    expect(text).toMatch(/herald_sends_total\{channel="email",outcome="sent"\} [1-9]\d*/);
    expect(text).toMatch(/herald_sends_total\{channel="email",outcome="failed"\} [1-9]\d*/);
    expect(text).toMatch(/herald_deliveries\{channel="email",state="failed"\} \d+/);
    expect(text).toMatch(/herald_deliveries\{channel="email",state="sent"\} [1-9]\d*/);
    expect(text).toMatch(/herald_subscribers\{channel="email",standing="confirmed"\} \d+/);
    // prom-client's process metrics, the event loop's lag among them.
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds [\d.e-]+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
  });
});
