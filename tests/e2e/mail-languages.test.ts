import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { de } from '../../src/i18n/catalogues/de.ts';
import { en } from '../../src/i18n/catalogues/en.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';

const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** A catalogue's words as a reader sees them: ICU arguments, selectors and plural keys left out. */
function catalogueWords(catalogue: Record<string, string>): Set<string> {
  const text = Object.values(catalogue)
    .map((message) =>
      message
        .replace(/\{\s*\w+\s*,\s*(?:plural|select|selectordinal)\s*,/g, '{')
        .replace(/([{},]\s*)[\w=]+\s*\{/g, '$1{')
        .replace(/\{\w+\}/g, ' '),
    )
    .join(' ');
  return new Set(text.toLowerCase().match(/\p{L}{4,}/gu) ?? []);
}

const GERMAN = catalogueWords(de);
/** Herald's own English words: in the English catalogue, and not also German (Status, Link, Minute…). */
const ENGLISH_ONLY = new Set([...catalogueWords(en)].filter((w) => !GERMAN.has(w)));

/** The English words of Herald's own left in a text, once addresses and what the team wrote are taken out. */
function englishIn(text: string, written: readonly string[] = []): string[] {
  let rest = text.replace(/https?:\/\/\S+/g, ' ');
  for (const phrase of written) rest = rest.replaceAll(phrase, ' ');
  return [...new Set(rest.toLowerCase().match(/\p{L}{4,}/gu) ?? [])].filter((w) => ENGLISH_ONLY.has(w));
}

/** What a page says: the text of its body, without scripts, styles and tags. */
function pageText(html: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? html;
  return body
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[#\w]+;/g, ' ');
}

const listUnsubscribe = (mail: ReceivedMail | undefined) =>
  /^List-Unsubscribe: <([^>]+)>/m.exec((mail?.raw ?? '').replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? '';

describe('every message to a subscriber is in their language, on the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-languages-e2e-'));
  let smtp: SmtpSink;
  let server: ServerProcess;
  let api: ReturnType<typeof adminApi>;
  let componentId = '';

  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startServer({
      DATABASE_PATH: join(dir, 'herald.db'),
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Acme Status <status@acme.test>',
    });
    api = adminApi(server, await ownerToken(server));
    await api('PATCH', '/settings', { page_name: 'Acme', time_zone: 'Europe/Berlin' });
    // The page offers German beside English: the settings row as the console's language form stores it.
    const db = new SQLite(join(dir, 'herald.db'));
    try {
      db.prepare("update settings set languages = 'en,de' where id = 1").run();
    } finally {
      db.close();
    }
    componentId = (await api<{ id: string }>('POST', '/components', { name: 'API' })).id;
  });
  afterAll(async () => {
    await server?.kill();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const form = (path: string, fields: Record<string, string>) =>
    fetch(path.startsWith('http') ? path : `${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams(fields),
    });
  const mails = (address: string) => smtp.to(address);
  const openIncident = (name: string, body: string, status = 'major_outage') =>
    api<{ code: string; incident_updates: Array<{ id: string }> }>('POST', '/incidents', {
      name,
      body,
      components: { [componentId]: status },
      notify: true,
    });

  it('subscribes from /de/subscribe and writes the confirmation, the update and the unsubscribe page in German', async () => {
    const page = await (await fetch(`${server.url}/de/subscribe`)).text();
    const language = /<input type="hidden" name="language" value="([^"]+)"/.exec(page)?.[1];
    expect(language).toBe('de');

    const answer = await form('/de/subscribe', {
      channel: 'email',
      language: language ?? '',
      email: 'greta@example.com',
      scope: 'all',
    });
    expect(answer.status).toBe(200);
    await until(() => mails('greta@example.com').length === 1, 'the confirmation mail');

    const confirmation = mails('greta@example.com')[0];
    expect(confirmation?.parsed.subject).toBe('[Acme] Bitte bestätigen Sie Ihr Abonnement');
    const confirmUrl = /(http:\/\/\S+\/de\/subscriptions\/confirm\/[\w-]+)/.exec(confirmation?.parsed.text ?? '')?.[1];
    expect(confirmUrl).toBeDefined();
    expect(confirmation?.parsed.html).toContain('<html lang="de" dir="ltr">');
    for (const part of [
      confirmation?.parsed.subject,
      confirmation?.parsed.text,
      pageText(String(confirmation?.parsed.html)),
    ])
      expect(englishIn(part ?? '', ['Acme'])).toEqual([]);
    const confirmed = await form(confirmUrl ?? '', {});
    expect(confirmed.status).toBe(200);
    const confirmedPage = await confirmed.text();
    expect(confirmedPage).toMatch(/<html[^>]* lang="de"/);
    expect(confirmedPage).toMatch(/href="\/de\/subscriptions\/[\w.-]+"/);
    expect(englishIn(pageText(confirmedPage), ['Acme'])).toEqual([]);

    const name = 'Datenbank antwortet langsam';
    const body = 'Wir untersuchen erhöhte Antwortzeiten der Datenbank.';
    const incident = await openIncident(name, body);
    await until(() => mails('greta@example.com').length === 2, 'the incident mail');
    const update = mails('greta@example.com')[1];
    const text = update?.parsed.text ?? '';
    expect(update?.parsed.subject).toBe(`[Acme] ${name}: Wird untersucht`);
    expect(text).toContain(body);
    expect(text).toMatch(
      /^Wird untersucht — Datenbank antwortet langsam\n\d{1,2}\. \p{L}+\.? \d{4}, \d\d:\d\d MES?Z\n/u,
    );
    expect(text).toContain('Aktueller Status:\n  API: Schwerer Ausfall');
    expect(text).toContain(
      `Diese Störung verfolgen: ${server.url}/de/incidents/${incident.code}#update-${incident.incident_updates[0]?.id}`,
    );
    expect(text).toMatch(/Komponenten auswählen oder abbestellen: http:\/\/\S+\/de\/subscriptions\/[\w.-]+\n/);
    const unsubscribe = listUnsubscribe(update);
    expect(unsubscribe).toMatch(/\/de\/subscriptions\/[\w.-]+\/unsubscribe$/);
    expect(text).toContain(`Sofort abbestellen: ${unsubscribe}`);
    expect(update?.parsed.html).toContain('<html lang="de" dir="ltr">');
    expect(update?.parsed.html).toContain('>Abbestellen</a>');
    for (const part of [update?.parsed.subject, text, pageText(String(update?.parsed.html))])
      expect(englishIn(part ?? '', ['Acme', name, body])).toEqual([]);

    // The page the mail leads to: German, and a one-click unsubscribe answered in German.
    const unsubscribePage = await fetch(unsubscribe);
    expect(unsubscribePage.status).toBe(200);
    const html = await unsubscribePage.text();
    expect(html).toMatch(/<html[^>]* lang="de"/);
    expect(englishIn(pageText(html), ['Acme', 'greta@example.com'])).toEqual([]);
    // A mail provider's RFC 8058 one-click: a bare POST from its own servers, no Origin.
    const oneClick = await fetch(unsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    const done = await oneClick.text();
    expect(done).toMatch(/<html[^>]* lang="de"/);
    expect(englishIn(pageText(done), ['Acme'])).toEqual([]);
  });

  it('writes the next mail in the language chosen on the manage page', async () => {
    await form('/subscribe', { channel: 'email', language: 'en', email: 'erik@example.com', scope: 'all' });
    await until(() => mails('erik@example.com').length === 1, 'the confirmation mail');
    expect(mails('erik@example.com')[0]?.parsed.subject).toBe('[Acme] Confirm your subscription');
    const confirmUrl = /(http:\/\/\S+\/subscriptions\/confirm\/[\w-]+)/.exec(
      mails('erik@example.com')[0]?.parsed.text ?? '',
    )?.[1];
    expect(confirmUrl).not.toContain('/de/');
    const confirmed = await (await form(confirmUrl ?? '', {})).text();
    const manage = /href="(\/subscriptions\/[\w.-]+)"/.exec(confirmed)?.[1] ?? '';
    expect(manage).not.toBe('');

    await openIncident('Login errors', 'Investigating.', 'partial_outage');
    await until(() => mails('erik@example.com').length === 2, 'the first incident mail');
    expect(mails('erik@example.com')[1]?.parsed.subject).toBe('[Acme] Login errors: Investigating');

    const managePage = await (await fetch(`${server.url}${manage}`)).text();
    expect(managePage).toMatch(/<select name="language">[\s\S]*<option value="de"[^>]*>\s*Deutsch\s*<\/option>/);
    const saved = await form(manage, { action: 'language', language: 'de' });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Saved. Language of mails and notifications: Deutsch.');
    const listed = await api<unknown>('GET', '/subscribers?search=erik%40example.com');
    expect(listed).toEqual([expect.objectContaining({ email: 'erik@example.com', language: 'de' })]);
    // A language the page does not offer is refused, and the choice stays.
    expect((await form(manage, { action: 'language', language: 'ja' })).status).toBe(422);

    await openIncident('Login errors again', 'Still investigating.', 'major_outage');
    await until(() => mails('erik@example.com').length === 3, 'the second incident mail');
    const next = mails('erik@example.com')[2];
    expect(next?.parsed.subject).toBe('[Acme] Login errors again: Wird untersucht');
    expect(next?.parsed.text).toContain('Aktueller Status:\n  API: Schwerer Ausfall');
    expect(listUnsubscribe(next)).toMatch(/\/de\/subscriptions\/[\w.-]+\/unsubscribe$/);
  });
});
