import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database>;

export type ImportedSubscriber = { email: string; components: 'all' | readonly string[] };

/**
 * Inserts a chunk of imported, already confirmed email subscribers (an address already known is
 * left as it is) and links those who chose components. Answers how many were new. One short
 * statement a row, the same text each time: SQLite reuses it, and no multi-row statement of
 * thousands of parameters is built and thrown away per chunk (that churn grew the heap by ~90 MB
 * over a 100,000-line import).
 */
export async function insertImportedSubscribers(
  q: Q,
  rows: readonly ImportedSubscriber[],
  at: string,
): Promise<number> {
  let inserted = 0;
  for (const row of rows) {
    const all = row.components === 'all' ? 1 : 0;
    const { rows: ids } = await sql<{
      id: number;
    }>`insert into subscribers (channel, email, all_components, confirmed_at, source, created_at, updated_at)
      values ('email', ${row.email}, ${all}, ${at}, 'import', ${at}, ${at}) on conflict do nothing returning id`.execute(
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
