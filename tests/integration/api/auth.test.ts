import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, type Harness, json, startHarness } from '../../helpers/harness.ts';

const SAME_SITE = { origin: BASE };

function cookieOf(res: Response): string {
  const header = res.headers.get('set-cookie') ?? '';
  return header.split(';')[0] ?? '';
}

describe('authentication and roles', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function signIn(
    email: string,
    password: string,
    headers: Record<string, string> = SAME_SITE,
  ): Promise<Response> {
    return h.call('POST', '/api/admin/session', { as: null, body: { email, password }, headers });
  }

  it('refuses requests without credentials with a problem document', async () => {
    const res = await h.call('GET', '/api/admin/components', { as: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await json(res)).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('refuses an unknown bearer token', async () => {
    const res = await h.call('GET', '/api/admin/components', {
      as: null,
      headers: { authorization: 'Bearer hrld_not-a-real-token' },
    });
    expect(res.status).toBe(401);
  });

  it('refuses a revoked token from the moment it is revoked', async () => {
    const created = await json<{ id: string; token: string }>(
      await h.call('POST', '/api/admin/tokens', { body: { name: 'alerting' } }),
    );
    const auth = { authorization: `Bearer ${created.token}` };
    expect((await h.call('GET', '/api/admin/components', { as: null, headers: auth })).status).toBe(200);
    expect((await h.call('DELETE', `/api/admin/tokens/${created.id}`)).status).toBe(200);
    expect((await h.call('GET', '/api/admin/components', { as: null, headers: auth })).status).toBe(401);
  });

  it('never shows a token secret again and stores only its hash', async () => {
    const created = await json<{ id: string; token: string }>(
      await h.call('POST', '/api/admin/tokens', { body: { name: 'listing' } }),
    );
    const listed = await (await h.call('GET', '/api/admin/tokens')).text();
    expect(listed).not.toContain(created.token);
    const row = await h.runtime.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(created.token);
  });

  it('lets a viewer read but not write', async () => {
    expect((await h.call('GET', '/api/admin/incidents', { as: 'viewer' })).status).toBe(200);
    const res = await h.call('POST', '/api/admin/incidents', { as: 'viewer', body: { name: 'x', body: 'y' } });
    expect(res.status).toBe(403);
    expect((await json(res)).detail).toMatch(/viewer role cannot/);
  });

  it('keeps the team, tokens and settings to owners', async () => {
    for (const [method, path, body] of [
      ['POST', '/api/admin/users', { email: 'new@example.com', role: 'viewer', password: 'long enough password' }],
      ['POST', '/api/admin/tokens', { name: 'nope' }],
      ['PATCH', '/api/admin/settings', { page_name: 'Hijacked' }],
      ['GET', '/api/admin/tokens', undefined],
    ] as const) {
      expect((await h.call(method, path, { as: 'editor', ...(body ? { body } : {}) })).status).toBe(403);
    }
  });

  it('signs in with a session cookie that is HttpOnly and SameSite=Lax, then acts as that user', async () => {
    const res = await signIn('editor@example.com', 'editor password 123');
    expect(res.status).toBe(201);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/herald_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const me = await h.call('GET', '/api/admin/me', { as: null, headers: { cookie: cookieOf(res) } });
    expect(await json(me)).toMatchObject({ role: 'editor', label: 'editor@example.com', via: 'session' });
  });

  it('refuses a cookie-authenticated write from another site (CSRF), and one with no origin at all', async () => {
    const cookie = cookieOf(await signIn('owner@example.com', 'owner password 123'));
    const body = { name: 'Evil component' };
    const cross = await h.call('POST', '/api/admin/components', {
      as: null,
      body,
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(cross.status).toBe(403);
    const bare = await h.call('POST', '/api/admin/components', { as: null, body, headers: { cookie } });
    expect(bare.status).toBe(403);
    const same = await h.call('POST', '/api/admin/components', { as: null, body, headers: { cookie, ...SAME_SITE } });
    expect(same.status).toBe(201);
  });

  it('answers a wrong password and an unknown account with the same words', async () => {
    const wrong = await signIn('owner@example.com', 'not the password');
    const unknown = await signIn('nobody@example.com', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await json(wrong)).detail).toBe((await json(unknown)).detail);
  });

  it('throttles repeated failed sign-ins to one account', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) last = await signIn('viewer@example.com', `wrong ${i}`);
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    const rightButLocked = await signIn('viewer@example.com', 'viewer password 123');
    expect(rightButLocked.status).toBe(429);
  });

  it('refuses an expired session and clears the cookie', async () => {
    const cookie = cookieOf(await signIn('owner@example.com', 'owner password 123'));
    await h.runtime.db
      .updateTable('sessions')
      .set({ expires_at: Date.now() - 1000 })
      .execute();
    const res = await h.call('GET', '/api/admin/components', { as: null, headers: { cookie } });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toMatch(/herald_session=;/);
  });

  it('signs out, after which the cookie no longer works', async () => {
    const cookie = cookieOf(await signIn('owner@example.com', 'owner password 123'));
    expect((await h.call('DELETE', '/api/admin/session', { as: null, headers: { cookie, ...SAME_SITE } })).status).toBe(
      204,
    );
    expect((await h.call('GET', '/api/admin/me', { as: null, headers: { cookie } })).status).toBe(401);
  });

  it('stores sessions hashed, so the cookie value is not in the database', async () => {
    const cookie = cookieOf(await signIn('owner@example.com', 'owner password 123'));
    const value = cookie.split('=')[1] ?? '';
    const rows = await h.runtime.db.selectFrom('sessions').select('id').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.id === value)).toBe(false);
  });

  it('ends the sessions of a user whose role changes', async () => {
    const cookie = cookieOf(await signIn('editor@example.com', 'editor password 123'));
    await h.call('PATCH', `/api/admin/users/${h.userIds.editor}`, { body: { role: 'viewer' } });
    expect((await h.call('GET', '/api/admin/me', { as: null, headers: { cookie } })).status).toBe(401);
    await h.call('PATCH', `/api/admin/users/${h.userIds.editor}`, { body: { role: 'editor' } });
  });

  it('never lets the last owner go', async () => {
    const res = await h.call('PATCH', `/api/admin/users/${h.userIds.owner}`, { body: { role: 'editor' } });
    expect(res.status).toBe(409);
    expect((await h.call('DELETE', `/api/admin/users/${h.userIds.owner}`)).status).toBe(409);
  });

  it('changes a password only with the current one, and ends the other sessions', async () => {
    await h.call('POST', '/api/admin/users', {
      body: { email: 'pw@example.com', role: 'viewer', password: 'the first password' },
    });
    const other = cookieOf(await signIn('pw@example.com', 'the first password'));
    const cookie = cookieOf(await signIn('pw@example.com', 'the first password'));
    const change = (current: string) =>
      h.call('POST', '/api/admin/me/password', {
        as: null,
        body: { current_password: current, new_password: 'a brand new password' },
        headers: { cookie, ...SAME_SITE },
      });
    expect((await change('nope')).status).toBe(422);
    expect((await change('the first password')).status).toBe(204);
    expect((await h.call('GET', '/api/admin/me', { as: null, headers: { cookie } })).status).toBe(200);
    expect((await h.call('GET', '/api/admin/me', { as: null, headers: { cookie: other } })).status).toBe(401);
    expect((await signIn('pw@example.com', 'a brand new password')).status).toBe(201);
  });

  it('lists users without password hashes', async () => {
    const text = await (await h.call('GET', '/api/admin/users', { as: 'viewer' })).text();
    expect(text).toContain('owner@example.com');
    expect(text).not.toContain('scrypt$');
  });
});
