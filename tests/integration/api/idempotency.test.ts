import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';

describe('POSTs with an Idempotency-Key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const post = (key: string, name = 'Double click') =>
    h.call('POST', '/api/admin/incidents', {
      headers: { 'idempotency-key': key },
      body: { name, body: 'Once.', components: {}, notify: false },
    });
  const count = async () =>
    Number(
      (
        await h.runtime.db
          .selectFrom('incidents')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('posts once however many times the same request arrives at the same moment', async () => {
    const before = await count();
    const answers = await Promise.all([post('key-double-click'), post('key-double-click'), post('key-double-click')]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    const ids = await Promise.all(answers.map(async (a) => (await json<{ id: string }>(a)).id));
    expect(new Set(ids).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
    expect(await count()).toBe(before + 1);
  });

  it('replays the first answer to a later retry, and treats another key as another post', async () => {
    const first = await json<{ id: string }>(await post('key-retry-0001'));
    h.clock.advance(60_000);
    const retry = await json<{ id: string }>(await post('key-retry-0001'));
    expect(retry.id).toBe(first.id);
    const other = await json<{ id: string }>(await post('key-retry-0002'));
    expect(other.id).not.toBe(first.id);
  });

  it('keeps keys apart per user: the same key from another user is a new post', async () => {
    const mine = await json<{ id: string }>(await post('key-shared-0001'));
    const theirs = await json<{ id: string }>(
      await h.call('POST', '/api/admin/incidents', {
        as: 'editor',
        headers: { 'idempotency-key': 'key-shared-0001' },
        body: { name: 'Editor', body: 'x', components: {}, notify: false },
      }),
    );
    expect(theirs.id).not.toBe(mine.id);
  });

  it('refuses a malformed key', async () => {
    const res = await post('short');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('forgets answers after 24 hours', async () => {
    const first = await json<{ id: string }>(await post('key-expiry-0001'));
    h.clock.advance(24 * 3_600_000 + 1000);
    const later = await json<{ id: string }>(await post('key-expiry-0001'));
    expect(later.id).not.toBe(first.id);
  });
});
