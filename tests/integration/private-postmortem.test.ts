import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { exportSite } from '../../src/cli/export.ts';
import { loadConfig } from '../../src/config.ts';
import { startRuntime } from '../../src/runtime.ts';
import { receiverEnv, startChannelReceiver } from '../helpers/channel-receiver.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';

// Unique words: one in a private section, one in the public text around it.
const SECRET = `SECRET${randomBytes(6).toString('hex')}`;
const PUBLIC = `PUBLIC${randomBytes(6).toString('hex')}`;
const POSTMORTEM = [
  '## Summary',
  `A certificate expired. ${PUBLIC}`,
  '',
  '## Timeline (internal)',
  `- 09:12 paged Alice, who said ${SECRET}`,
  '',
  '### Chat log',
  `${SECRET} again, one level down`,
  '',
  '## Root cause',
  'Renewal failed silently.',
  '',
  '## Internal notes (internal)',
  `Customer names: ${SECRET}`,
].join('\n');

async function until<T>(check: () => T | undefined | Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => join(f.parentPath, f.name));
}

describe('a postmortem with private sections, published with notifications, on the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-private-postmortem-'));
  let smtp: SmtpSink;
  let receiver: Awaited<ReturnType<typeof startChannelReceiver>>;
  let server: ServerProcess;
  let api: ReturnType<typeof adminApi>;
  let token = '';
  let incident: { id: string; code: string };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    receiver = await startChannelReceiver();
    const env = {
      DATABASE_PATH: join(dir, 'herald.db'),
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Acme Status <status@acme.test>',
      HERALD_RETRY_BASE_MS: '10',
      ...receiverEnv(dir),
    };
    // A webhook subscriber as a confirmed subscription leaves it, written into the file first
    // (subscribing through the API makes a test delivery and its own rate limits apply).
    const seed = await startRuntime(loadConfig(env), { scheduler: false, notifier: false });
    const at = new Date().toISOString();
    await seed.db
      .insertInto('subscribers')
      .values({
        channel: 'webhook',
        email: null,
        target_url: receiver.url('/hook'),
        signing_secret: `whsec_${randomBytes(32).toString('base64')}`,
        all_components: 1,
        confirmed_at: at,
        confirm_token_hash: null,
        confirm_expires_at: null,
        confirm_sent_at: null,
        disabled_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await seed.stop();

    server = await startServer(env);
    token = await ownerToken(server);
    api = adminApi(server, token);
    await api('POST', '/subscribers/import', { csv: 'email\nreader@example.com\n' });
    incident = await api<{ id: string; code: string }>('POST', '/incidents', {
      name: 'Expired certificate',
      body: 'Checkout fails.',
      notify: false,
    });
    await api('POST', `/incidents/${incident.id}/resolve`, { notify: false });
    await api('PUT', `/incidents/${incident.id}/postmortem`, { body: POSTMORTEM });
    await api('POST', `/incidents/${incident.id}/postmortem/publish`, { notify: true });
  });
  afterAll(async () => {
    await server?.kill();
    await smtp?.close();
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const text = async (path: string) => {
    const res = await fetch(`${server.url}${path}`);
    expect([path, res.status]).toEqual([path, 200]);
    return res.text();
  };

  it("keeps the private sections off the incident's public page and says the public part", async () => {
    const page = await text(`/incidents/${incident.code}`);
    expect(page).toContain(PUBLIC);
    expect(page).toContain('Renewal failed silently.');
    expect(page).not.toContain(SECRET);
    expect(page).not.toContain('Timeline (internal)');
    expect(page).not.toContain('Internal notes');
  });

  it('keeps them out of the Atom and RSS feeds', async () => {
    for (const feed of ['/feed.atom', '/feed.rss']) {
      const xml = await text(feed);
      expect([feed, xml.includes(PUBLIC), xml.includes(SECRET)]).toEqual([feed, true, false]);
    }
  });

  it('keeps them out of every Statuspage v2 document', async () => {
    for (const path of [
      '/api/v2/summary.json',
      '/api/v2/status.json',
      '/api/v2/components.json',
      '/api/v2/incidents.json',
      '/api/v2/incidents/unresolved.json',
      '/api/v2/scheduled-maintenances.json',
      '/api/v2/scheduled-maintenances/upcoming.json',
      '/api/v2/scheduled-maintenances/active.json',
    ]) {
      expect([path, (await text(path)).includes(SECRET)]).toEqual([path, false]);
    }
  });

  it('keeps them out of the notification mail a real SMTP server receives, and out of the webhook', async () => {
    const mail = await until(
      () => smtp.to('reader@example.com').find((m) => /postmortem/i.test(m.parsed.subject ?? '')),
      'the postmortem mail',
    );
    expect(`${mail.parsed.text}`).toContain(PUBLIC);
    expect([
      mail.raw.includes(SECRET),
      `${mail.parsed.text}`.includes(SECRET),
      `${mail.parsed.html}`.includes(SECRET),
    ]).toEqual([false, false, false]);
    const hook = await until(
      () => receiver.received.find((r) => r.body.includes('postmortem.published')),
      'the postmortem webhook',
    );
    expect(hook.body).toContain(PUBLIC);
    expect(hook.body).not.toContain(SECRET);
  });

  it('keeps them out of the static export of the public site', async () => {
    const out = mkdtempSync(join(tmpdir(), 'herald-private-export-'));
    try {
      const written = await exportSite(out, server.url);
      expect(written).toContain(`/incidents/${incident.code}`);
      const leaking = filesUnder(out).filter((f) => readFileSync(f, 'utf8').includes(SECRET));
      expect(leaking).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('gives the team the whole text through the admin API', async () => {
    const view = await api<{ postmortem_body: string }>('GET', `/incidents/${incident.id}`);
    expect(view.postmortem_body).toBe(POSTMORTEM);
  });

  it('refuses to publish a postmortem whose only text is private', async () => {
    const other = await api<{ id: string }>('POST', '/incidents', { name: 'Other', body: 'x', notify: false });
    await api('POST', `/incidents/${other.id}/resolve`, { notify: false });
    await api('PUT', `/incidents/${other.id}/postmortem`, {
      body: `## Summary\n\n## Internal notes (internal)\n${SECRET}\n`,
    });
    const res = await fetch(`${server.url}/api/admin/incidents/${other.id}/postmortem/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ notify: false }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      errors: [{ field: 'body', message: 'the postmortem has no public text besides headings' }],
    });
  });
});
