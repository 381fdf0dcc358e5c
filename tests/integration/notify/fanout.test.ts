import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../../../src/services/actor.ts';
import { importSubscribersCsv } from '../../../src/services/subscriber-admin.ts';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';
import { type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.ts';

describe('fan-out to many subscribers through a flaky mail server', () => {
  let smtp: SmtpSink;
  let h: Harness;
  const SUBSCRIBERS = 3000;

  beforeAll(async () => {
    smtp = await startSmtpSink({ parse: false });
    h = await startHarness({ env: { SMTP_URL: smtp.url, HERALD_RETRY_BASE_MS: '10' } });
    await importSubscribersCsv(
      h.runtime.ctx,
      CLI,
      Array.from({ length: SUBSCRIBERS }, (_, i) => `bulk${i}@example.com`).join('\n'),
    );
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });

  const openIncident = async (name: string) =>
    json<{ id: string }>(
      await h.call('POST', '/api/admin/incidents', {
        body: { name, body: 'Investigating.', components: {}, notify: true },
      }),
    );
  const count = async (table: 'deliveries' | 'fanouts') =>
    Number(
      (
        await h.runtime.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const figures = async (incidentId: string) =>
    json<Array<{ sent: number; pending: number; sending: number; failed: number }>>(
      await h.call('GET', `/api/admin/incidents/${incidentId}/deliveries`, { as: 'viewer' }),
    );

  it('answers the post before the fan-out starts, and records its progress, not a row per recipient', async () => {
    const incident = await openIncident('Bulk');
    expect(await count('fanouts')).toBe(0);
    expect(
      await h.runtime.db.selectFrom('notifications').select('id').where('expanded_at', 'is', null).execute(),
    ).toHaveLength(1);
    expect(await figures(incident.id)).toEqual([expect.objectContaining({ sent: 0, pending: SUBSCRIBERS })]);
    await h.runtime.notifier.drain();
    expect(await count('deliveries')).toBe(0);
    expect(
      await h.runtime.db.selectFrom('notifications').select('id').where('expanded_at', 'is', null).execute(),
    ).toHaveLength(0);
    expect(await figures(incident.id)).toEqual([
      expect.objectContaining({ sent: SUBSCRIBERS, pending: 0, sending: 0, failed: 0 }),
    ]);
    for (let i = 0; i < SUBSCRIBERS; i++) expect(smtp.counts.get(`bulk${i}@example.com`)).toBe(1);
  });

  it('retries temporary refusals with backoff until the server recovers: every mail arrives once', async () => {
    let refusals = 0;
    smtp.setPolicy((address) => (address.startsWith('bulk1') && refusals++ < 300 ? 451 : 'accept'));
    const before = new Map(smtp.counts);
    const incident = await openIncident('Flaky mail server');
    await h.runtime.notifier.drain();
    const unsettled = () =>
      h.runtime.db.selectFrom('deliveries').select('id').where('state', 'in', ['pending', 'sending']).execute();
    for (let i = 0; i < 50 && (await unsettled()).length > 0; i++) {
      h.clock.advance(60_000);
      await h.runtime.notifier.drain();
    }
    expect(refusals).toBeGreaterThan(300);
    expect(await unsettled()).toHaveLength(0);
    const retried = await h.runtime.db.selectFrom('deliveries').select('id').where('attempts', '>', 1).execute();
    expect(retried.length).toBeGreaterThan(0);
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const address = `bulk${i}@example.com`;
      expect((smtp.counts.get(address) ?? 0) - (before.get(address) ?? 0), address).toBe(1);
    }
    // The retried ones were counted once, by their own rows; the rest by the fan-out's progress.
    expect(await figures(incident.id)).toEqual([expect.objectContaining({ sent: SUBSCRIBERS, pending: 0, failed: 0 })]);
  });
});
