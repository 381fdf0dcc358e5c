import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendersByLanguage } from '../../../src/metrics/registry.ts';
import { PushSender } from '../../../src/notify/push-sender.ts';
import { confirmSubscription } from '../../../src/services/subscribers.ts';
import { BASE, type Harness, json, startHarness } from '../../helpers/harness.ts';
import { type PushReceiver, startPushReceiver } from '../../helpers/push-receiver.ts';
import { type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.ts';

type Created = { id: string; code: string; incident_updates: Array<{ id: string }> };

/** The page's offered languages, as the settings row stores them (the console's form is another change's). */
const offerLanguages = (h: Harness, languages: string) =>
  h.runtime.db.updateTable('settings').set({ languages }).where('id', '=', 1).execute();

const renderCounts = async (channel: string) => ({ ...(await rendersByLanguage(channel)) });
const delta = (before: Record<string, number>, after: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([language, n]) => [language, n - (before[language] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );

describe('a browser that subscribed on the Japanese page is notified in Japanese', () => {
  let receiver: PushReceiver;
  let h: Harness;
  let api = '';

  beforeAll(async () => {
    receiver = await startPushReceiver(() => h.runtime.vapid.publicKey);
    h = await startHarness({
      env: { HERALD_PUSH_HOSTS: '127.0.0.1', HERALD_RETRY_BASE_MS: '10' },
      senders: (ctx, vapid) => [
        new PushSender(ctx, {
          vapid: { ...vapid, subject: 'mailto:ops@acme.test' },
          baseUrl: BASE,
          concurrency: 10,
          agent: new Agent({ ca: receiver.cert, keepAlive: true }),
        }),
      ],
    });
    await h.call('PATCH', '/api/admin/settings', { body: { page_name: 'Acme', time_zone: 'Asia/Tokyo' } });
    await offerLanguages(h, 'en,ja,de');
    api = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'API' } }))).id;
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  const subscribe = (subscription: unknown, language?: string) =>
    h.call('POST', '/api/public/push/subscriptions', {
      as: null,
      body: { subscription, components: 'all', ...(language ? { language } : {}) },
    });

  it('stores the language the push script posted, and sends the payload in it, decrypted by the receiver', async () => {
    const japanese = receiver.newBrowser();
    const english = receiver.newBrowser();
    const unknown = receiver.newBrowser();
    expect((await subscribe(japanese.subscription, 'ja')).status).toBe(201);
    expect((await subscribe(english.subscription)).status).toBe(201);
    // A language Herald does not speak is the page's default, not an error.
    expect((await subscribe(unknown.subscription, 'tlh')).status).toBe(201);
    const listed = await json<Array<{ language: string }>>(await h.call('GET', '/api/admin/subscribers?channel=push'));
    expect(listed.map((s) => s.language).sort()).toEqual(['en', 'en', 'ja']);

    const created = await json<Created>(
      await h.call('POST', '/api/admin/incidents', {
        body: {
          name: 'API の応答遅延',
          impact: 'major',
          body: '原因を調査しています。',
          components: { [api]: 'major_outage' },
          notify: true,
        },
      }),
    );
    await h.runtime.notifier.drain();
    expect(receiver.errors).toEqual([]);

    const got = (id: string) => receiver.received.find((r) => r.browser === id)?.payload;
    const updateId = created.incident_updates[0]?.id;
    expect(got(japanese.id)).toMatchObject({
      title: 'Acme：API の応答遅延',
      body: '調査中 — 原因を調査しています。',
      url: `${BASE}/ja/incidents/${created.code}#update-${updateId}`,
      tag: `incident-${created.id}`,
    });
    for (const browser of [english, unknown]) {
      expect(got(browser.id)).toMatchObject({
        title: 'Acme: API の応答遅延',
        body: 'Investigating — 原因を調査しています。',
        url: `${BASE}/incidents/${created.code}#update-${updateId}`,
      });
    }
  });

  it('writes a subscriber whose language the page stopped offering in the default language', async () => {
    const browser = receiver.newBrowser();
    await subscribe(browser.subscription, 'de');
    await offerLanguages(h, 'en,ja');
    try {
      await h.call('POST', '/api/admin/incidents', {
        body: { name: 'Login slow', impact: 'minor', body: 'Looking into it.', components: {}, notify: true },
      });
      await h.runtime.notifier.drain();
      const payload = receiver.received.find((r) => r.browser === browser.id)?.payload;
      expect(payload?.body).toBe('Investigating — Looking into it.');
      expect(String(payload?.url)).not.toContain('/de/');
    } finally {
      await offerLanguages(h, 'en,ja,de');
    }
  });
});

describe('a fan-out to subscribers of three languages', () => {
  let smtp: SmtpSink;
  let h: Harness;
  let api = '';

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startHarness({
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Acme Status <status@acme.test>', HERALD_RETRY_BASE_MS: '10' },
    });
    await h.call('PATCH', '/api/admin/settings', { body: { page_name: 'Acme', time_zone: 'Europe/Berlin' } });
    await offerLanguages(h, 'en,de,ja');
    api = (await json<{ id: string }>(await h.call('POST', '/api/admin/components', { body: { name: 'API' } }))).id;
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });

  const subscribeAndConfirm = async (email: string, language?: string) => {
    const res = await h.call('POST', '/api/public/subscriptions', {
      as: null,
      body: { email, components: 'all', ...(language ? { language } : {}) },
    });
    expect(res.status).toBe(202);
    await h.runtime.mailLoop.drain();
    const mail = smtp.to(email).at(-1);
    const token = /\/subscriptions\/confirm\/([\w-]+)/.exec(mail?.parsed.text ?? '')?.[1] ?? '';
    await confirmSubscription(h.runtime.ctx, token, 'test');
    return mail;
  };

  it('words each language once, however many read it, and each subscriber gets their own', async () => {
    const audience: Array<[string, string | undefined]> = [
      ['en1@example.com', 'en'],
      ['en2@example.com', undefined],
      ['de1@example.com', 'de'],
      ['de2@example.com', 'DE'],
      ['ja1@example.com', 'ja'],
      ['ja2@example.com', 'ja'],
      // Herald speaks French, this page does not offer it: English, and no render of its own.
      ['fr1@example.com', 'fr'],
    ];
    const confirmations = new Map<string, string | undefined>();
    for (const [email, language] of audience)
      confirmations.set(email, (await subscribeAndConfirm(email, language))?.parsed.subject);
    expect(confirmations.get('de1@example.com')).toBe('[Acme] Bitte bestätigen Sie Ihr Abonnement');
    expect(confirmations.get('ja1@example.com')).toBe('[Acme] 購読の確認');
    expect(confirmations.get('en2@example.com')).toBe('[Acme] Confirm your subscription');
    expect(confirmations.get('fr1@example.com')).toBe('[Acme] Confirm your subscription');

    const before = await renderCounts('email');
    await h.call('POST', '/api/admin/incidents', {
      body: {
        name: 'API errors',
        body: 'We are investigating.',
        components: { [api]: 'partial_outage' },
        notify: true,
      },
    });
    await h.runtime.notifier.drain();
    expect(delta(before, await renderCounts('email'))).toEqual({ en: 1, de: 1, ja: 1 });

    const notification = (email: string) => smtp.to(email).at(-1);
    const subjects = Object.fromEntries(audience.map(([email]) => [email, notification(email)?.parsed.subject]));
    expect(subjects).toEqual({
      'en1@example.com': '[Acme] API errors: Investigating',
      'en2@example.com': '[Acme] API errors: Investigating',
      'de1@example.com': '[Acme] API errors: Wird untersucht',
      'de2@example.com': '[Acme] API errors: Wird untersucht',
      'ja1@example.com': '[Acme] API errors：調査中',
      'ja2@example.com': '[Acme] API errors：調査中',
      'fr1@example.com': '[Acme] API errors: Investigating',
    });
    // Three bodies, once the personal links are taken out: one per language.
    const bodies = new Set(
      audience.map(([email]) => (notification(email)?.parsed.text ?? '').replace(/https?:\/\/\S+/g, '<link>')),
    );
    expect(bodies.size).toBe(3);
    expect(notification('ja1@example.com')?.parsed.text).toContain('現在の状況：\n  API：一部停止');
    expect(notification('de1@example.com')?.parsed.text).toContain('Aktueller Status:\n  API: Teilausfall');
    // Each one's links are their own, on their language's pages.
    const unsubscribeOf = (email: string) =>
      /^List-Unsubscribe: <([^>]+)>/m.exec((notification(email)?.raw ?? '').replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? '';
    expect(unsubscribeOf('de1@example.com')).toMatch(
      /^http:\/\/localhost:4321\/de\/subscriptions\/[\w.-]+\/unsubscribe$/,
    );
    expect(unsubscribeOf('de2@example.com')).not.toBe(unsubscribeOf('de1@example.com'));
    expect(unsubscribeOf('en1@example.com')).toMatch(/^http:\/\/localhost:4321\/subscriptions\/[\w.-]+\/unsubscribe$/);
    expect(notification('ja1@example.com')?.parsed.html).toContain('<html lang="ja" dir="ltr">');
  });

  it('sends the manage link in the subscriber’s stored language, whichever page asked for it', async () => {
    h.clock.advance(61 * 60_000);
    await h.call('POST', '/api/public/subscriptions', {
      as: null,
      body: { email: 'de1@example.com', components: 'all', language: 'ja' },
    });
    await h.runtime.mailLoop.drain();
    const mail = smtp.to('de1@example.com').at(-1);
    expect(mail?.parsed.subject).toBe('[Acme] Ihr Abonnement');
    expect(mail?.parsed.text).toMatch(
      /Komponenten auswählen oder abbestellen: http:\/\/localhost:4321\/de\/subscriptions\//,
    );
    const listed = await json<Array<{ email: string; language: string }>>(
      await h.call('GET', '/api/admin/subscribers?search=de1%40example.com'),
    );
    expect(listed).toEqual([expect.objectContaining({ email: 'de1@example.com', language: 'de' })]);
  });

  it('writes to imported subscribers in the page’s default language, as no page was read to subscribe', async () => {
    await h.runtime.db.updateTable('settings').set({ default_language: 'de' }).where('id', '=', 1).execute();
    try {
      await h.call('POST', '/api/admin/subscribers/import', { body: { csv: 'email\nimported@example.com' } });
    } finally {
      await h.runtime.db.updateTable('settings').set({ default_language: 'en' }).where('id', '=', 1).execute();
    }
    const listed = await json<Array<{ language: string }>>(
      await h.call('GET', '/api/admin/subscribers?search=imported%40example.com'),
    );
    expect(listed).toEqual([expect.objectContaining({ language: 'de' })]);
  });
});
