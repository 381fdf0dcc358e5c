import { sha256 } from '../lib/ids.ts';
import type { ServiceContext } from '../services/context.ts';
import { rememberAnswer, storedAnswer } from '../services/idempotency.ts';

const running = new Map<string, Promise<string>>();

/**
 * Runs a form's action once per form key (a hidden field made when the form was rendered): a
 * double click or a resubmitted page gets the first result (e.g. the incident it created).
 * Shares the 24-hour store of the API's Idempotency-Key.
 */
export async function oncePerForm(
  ctx: ServiceContext,
  userId: string,
  key: string,
  action: () => Promise<string>,
): Promise<string> {
  if (!/^[\w-]{16,64}$/.test(key)) return action();
  const scope = sha256(`form\n${userId}\n${key}`);
  const pending = running.get(scope);
  if (pending) return pending;
  const work = (async () => {
    const stored = await storedAnswer(ctx, scope);
    if (stored) return stored.body;
    const result = await action();
    await rememberAnswer(ctx, scope, { status: 303, content_type: 'text/plain', body: result });
    return result;
  })();
  running.set(scope, work);
  try {
    return await work;
  } finally {
    running.delete(scope);
  }
}
