import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';

describe('mails that use cases decide, through the outbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const mails = () => {
    const dir = join(h.dir, 'mail');
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.eml'))
          .map((f) => readFileSync(join(dir, f), 'utf8'))
      : [];
  };
  const queued = () => h.runtime.db.selectFrom('mail_outbox').selectAll().execute();

  it('queues the invitation with the invitation itself, and names the inviter as a person even through an API token', async () => {
    const res = await h.call('POST', '/api/admin/invitations', { body: { email: 'new@example.com', role: 'editor' } });
    expect(res.status).toBe(201);
    const body = await json<{ link: string; mailed: boolean }>(res);
    expect(body.link).toMatch(/^http:\/\/localhost:4321\/invite\?token=[\w-]+$/);
    await h.runtime.mailLoop.drain();
    const invitation = mails().find((m) => m.includes('new@example.com'));
    expect(invitation).toBeDefined();
    // The harness's owner is called "owner"; a token's label ("owner@example.com (token …)") is not a name.
    expect(invitation).toContain('owner invited you to the');
    expect(invitation).not.toContain('(token');
    expect(invitation).toContain(body.link.split('token=')[1]?.slice(0, 20));
    expect(await queued()).toEqual([]);
  });

  it('queues nothing when the request that would have caused the mail is refused', async () => {
    const before = mails().length;
    const res = await h.call('POST', '/api/public/subscriptions', {
      as: null,
      body: { email: 'x@example.com', components: ['no-such-component'] },
    });
    expect(res.status).toBe(422);
    expect(await queued()).toEqual([]);
    await h.runtime.mailLoop.drain();
    expect(mails().length).toBe(before);
  });

  it('leaves the public pages alone: a queued mail changes none of them', async () => {
    const version = h.runtime.siteCache.version;
    expect(
      (await h.call('POST', '/api/public/subscriptions', { as: null, body: { email: 'quiet@example.com' } })).status,
    ).toBe(202);
    await h.runtime.mailLoop.drain();
    expect(h.runtime.siteCache.version).toBe(version);
  });

  it('keeps a queued mail across a restart and sends it then', async () => {
    await h.runtime.mailLoop.stop();
    expect(
      (await h.call('POST', '/api/public/subscriptions', { as: null, body: { email: 'later@example.com' } })).status,
    ).toBe(202);
    expect(await queued()).toHaveLength(1);
    await h.restart();
    await h.runtime.mailLoop.drain();
    expect(await queued()).toEqual([]);
    expect(mails().some((m) => m.includes('later@example.com') && m.includes('Confirm your subscription'))).toBe(true);
  });
});
