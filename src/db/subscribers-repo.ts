import { type Kysely, sql } from 'kysely';
import type { Database, Subscriber, SubscriberChannel } from './schema.ts';

type Q = Kysely<Database>;

export type ImportedSubscriber = { email: string; components: 'all' | readonly string[] };

/**
 * Inserts a chunk of imported, already confirmed email subscribers (an address already known is
 * left as it is), written to in `language`, and links those who chose components. Answers how
 * many were new. One short
 * statement a row, the same text each time: SQLite reuses it, and no multi-row statement of
 * thousands of parameters is built and thrown away per chunk (that churn grew the heap by ~90 MB
 * over a 100,000-line import).
 */
export async function insertImportedSubscribers(
  q: Q,
  rows: readonly ImportedSubscriber[],
  at: string,
  language: string,
): Promise<number> {
  let inserted = 0;
  for (const row of rows) {
    const all = row.components === 'all' ? 1 : 0;
    const { rows: ids } = await sql<{
      id: number;
    }>`insert into subscribers (channel, email, all_components, confirmed_at, source, language, created_at, updated_at)
      values ('email', ${row.email}, ${all}, ${at}, 'import', ${language}, ${at}, ${at}) on conflict do nothing returning id`.execute(
      q,
    );
    const id = ids[0]?.id;
    if (id === undefined) continue;
    inserted++;
    if (row.components === 'all') continue;
    for (const componentId of row.components) {
      await sql`insert into subscriber_components (subscriber_id, component_id) values (${id}, ${componentId}) on conflict do nothing`.execute(
        q,
      );
    }
  }
  return inserted;
}

export async function componentIds(q: Q): Promise<Set<string>> {
  return new Set((await q.selectFrom('components').select('id').execute()).map((c) => c.id));
}

/** A page of subscribers, newest first, filtered by channel and a search in the address. */
export async function subscriberPage(
  q: Q,
  filter: { search?: string; channel?: SubscriberChannel; incidentId?: string; id?: number },
  limit: number,
  offset: number,
): Promise<{ rows: Subscriber[]; total: number }> {
  let query = q.selectFrom('subscribers');
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
  if (filter.id !== undefined) query = query.where('id', '=', filter.id);
  // LIKE's wildcards typed in a search are matched literally by dropping them.
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[%_\\]/g, '')}%`;
    query = query.where((eb) => eb.or([eb('email', 'like', pattern), eb('target_url', 'like', pattern)]));
  }
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** The chosen components of these subscribers (of everyone, given null). */
export function chosenComponentsOf(
  q: Q,
  subscriberIds: readonly number[] | null,
): Promise<Array<{ subscriber_id: number; component_id: string }>> {
  const query = q.selectFrom('subscriber_components').select(['subscriber_id', 'component_id']);
  if (subscriberIds === null) return query.execute();
  return subscriberIds.length ? query.where('subscriber_id', 'in', subscriberIds).execute() : Promise.resolve([]);
}

export function emailSubscriberRows(q: Q): Promise<Subscriber[]> {
  return q.selectFrom('subscribers').selectAll().where('channel', '=', 'email').orderBy('id').execute();
}

/** Confirmed and unconfirmed email subscribers, live push subscriptions and disabled ones, in one pass. */
export function subscriberCountsRow(q: Q) {
  return q
    .selectFrom('subscribers')
    .select((eb) => [
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(
              eb.and([eb('channel', '=', 'email'), eb('confirmed_at', 'is not', null), eb('disabled_at', 'is', null)]),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('email_confirmed'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('channel', '=', 'email'), eb('confirmed_at', 'is', null)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('email_unconfirmed'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('channel', '=', 'push'), eb('disabled_at', 'is', null)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('push'),
      ...(['webhook', 'slack', 'teams'] as const).map((channel) =>
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(
                eb.and([
                  eb('channel', '=', channel),
                  eb('confirmed_at', 'is not', null),
                  eb('disabled_at', 'is', null),
                ]),
              )
              .then(1)
              .else(0)
              .end(),
          )
          .as(channel),
      ),
      eb.fn.sum<number>(eb.case().when('disabled_at', 'is not', null).then(1).else(0).end()).as('disabled'),
    ])
    .executeTakeFirstOrThrow();
}
