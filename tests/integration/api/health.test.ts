import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';

type Readiness = { ready: boolean; checks: Record<string, { ok: boolean; detail: string }> };

describe('health and readiness probes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const readiness = async () => {
    const res = await h.call('GET', '/readyz', { as: null });
    expect(res.headers.get('cache-control')).toBe('no-store');
    return { status: res.status, body: await json<Readiness>(res) };
  };

  it('says the process is alive without touching anything else', async () => {
    const res = await h.call('GET', '/healthz', { as: null });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok' });
  });

  it('is not ready while the worker is stopped and a delivery has waited longer than the bound, and names both checks', async () => {
    await h.call('POST', '/api/admin/subscribers/import', { body: { csv: 'lag@example.com' } });
    await h.call('POST', '/api/admin/incidents', {
      body: { name: 'Lagging', body: 'x', components: {}, notify: true },
    });
    await h.runtime.notifier.expand();
    h.clock.advance(3_600_000);
    const { status, body } = await readiness();
    expect(status).toBe(503);
    expect(body.ready).toBe(false);
    expect(body.checks.worker).toEqual({ ok: false, detail: 'stopped' });
    expect(body.checks.outbox).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/waiting 3600 s \(bound 900 s\)/),
    });
    expect(body.checks.database?.ok).toBe(true);
  });

  it('is ready once the worker runs and has caught up', async () => {
    await h.runtime.notifier.start();
    await h.runtime.notifier.drain();
    const { status, body } = await readiness();
    expect(status).toBe(200);
    expect(body.ready).toBe(true);
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'migrations', 'outbox', 'worker']);
  });

  it('is not ready on a database whose migrations are behind this release', async () => {
    await sql`delete from kysely_migration where name = (select max(name) from kysely_migration)`.execute(h.runtime.db);
    const { status, body } = await readiness();
    expect(status).toBe(503);
    expect(body.checks.migrations).toMatchObject({ ok: false, detail: expect.stringMatching(/^not applied: /) });
  });
});
