import type { Kysely, Updateable } from 'kysely';
import type { Database, Settings, SettingsTable } from './schema.ts';

type Q = Kysely<Database>;

export function settingsRow(q: Q): Promise<Settings> {
  return q.selectFrom('settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}

export async function updateSettingsRow(q: Q, changes: Updateable<SettingsTable>): Promise<void> {
  await q.updateTable('settings').set(changes).where('id', '=', 1).execute();
}
