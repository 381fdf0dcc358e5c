import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database>;

export type ImportedSubscriber = { email: string; components: 'all' | readonly string[] };

/**
 * Inserts a chunk of imported, already confirmed email subscribers (an address already known is
 * left as it is) and links those who chose components. Answers how many were new.
 */
export async function insertImportedSubscribers(q: Q, rows: readonly ImportedSubscriber[], at: string): Promise<number> {
  if (rows.length === 0) return 0;
  const values = rows.map((row) => ({
    channel: 'email' as const,
    email: row.email,
    all_components: row.components === 'all' ? (1 as const) : (0 as const),
    confirmed_at: at,
    source: 'import' as const,
    created_at: at,
    updated_at: at,
  }));
  const insert = q.insertInto('subscribers').values(values).onConflict((oc) => oc.doNothing());
  if (rows.every((row) => row.components === 'all')) return Number((await insert.executeTakeFirst()).numInsertedOrUpdatedRows ?? 0);
  const inserted = await insert.returning(['id', 'email']).execute();
  const idOf = new Map(inserted.map((r) => [r.email, r.id]));
  const links = rows.flatMap((row) => {
    const id = idOf.get(row.email);
    return id === undefined || row.components === 'all' ? [] : row.components.map((component_id) => ({ subscriber_id: id, component_id }));
  });
  if (links.length) await q.insertInto('subscriber_components').values(links).onConflict((oc) => oc.doNothing()).execute();
  return inserted.length;
}

export async function componentIds(q: Q): Promise<Set<string>> {
  return new Set((await q.selectFrom('components').select('id').execute()).map((c) => c.id));
}
