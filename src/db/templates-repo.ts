import type { Kysely } from 'kysely';
import type { Database, Template } from './schema.ts';

type Q = Kysely<Database>;

export function listTemplateRows(q: Q): Promise<Template[]> {
  return q.selectFrom('templates').selectAll().orderBy('kind').orderBy('name').execute();
}

export async function insertTemplate(q: Q, template: Template): Promise<void> {
  await q.insertInto('templates').values(template).execute();
}

/** The template after the change, or undefined when there is no such template. */
export async function updateTemplateRow(
  q: Q,
  id: string,
  changes: Partial<Omit<Template, 'id' | 'created_at'>>,
): Promise<Template | undefined> {
  const result = await q.updateTable('templates').set(changes).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return q.selectFrom('templates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function deleteTemplateRow(q: Q, id: string): Promise<boolean> {
  const result = await q.deleteFrom('templates').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export function findTemplate(q: Q, id: string): Promise<Template | undefined> {
  return q.selectFrom('templates').selectAll().where('id', '=', id).executeTakeFirst();
}
