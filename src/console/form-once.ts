import type { Db } from '../db/database.ts';
import { sha256 } from '../lib/ids.ts';

const running = new Map<string, Promise<string>>();

/**
 * Runs a form's action once per form key (a hidden field made when the form was rendered): a
 * double click or a resubmitted page gets the first result (e.g. the incident it created).
 * Shares the 24-hour store of the API's Idempotency-Key.
 */
export async function oncePerForm(db: Db, userId: string, key: string, action: () => Promise<string>): Promise<string> {
  if (!/^[\w-]{16,64}$/.test(key)) return action();
  const scope = sha256(`form\n${userId}\n${key}`);
  const pending = running.get(scope);
  if (pending) return pending;
  const work = (async () => {
    const stored = await db.selectFrom('idempotent_requests').select('body').where('scope_hash', '=', scope).executeTakeFirst();
    if (stored) return stored.body;
    const result = await action();
    await db
      .insertInto('idempotent_requests')
      .values({ scope_hash: scope, status: 303, content_type: 'text/plain', body: result, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return result;
  })();
  running.set(scope, work);
  try {
    return await work;
  } finally {
    running.delete(scope);
  }
}
