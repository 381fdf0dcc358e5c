import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/database.ts';
import { sha256 } from '../lib/ids.ts';
import { HttpProblem } from './problem.ts';
import type { Env } from './routes.ts';

const KEEP_MS = 24 * 3_600_000;

/**
 * POSTs that carry an Idempotency-Key are done once: a retry (a double click, a script's retry
 * after a time-out) gets the first answer again, marked Idempotent-Replayed. Concurrent repeats
 * wait for the first, which this single process can see; answers are kept 24 hours.
 */
export function idempotency(db: Db, now: () => Date): MiddlewareHandler<Env> {
  const running = new Map<string, Promise<void>>();
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!/^[\x21-\x7e]{8,200}$/.test(key)) throw new HttpProblem(400, 'Idempotency-Key must be 8 to 200 printable characters, e.g. a UUID');
    const actor = c.get('actor');
    const who = actor?.kind === 'user' ? actor.userId : 'anonymous';
    const scope = sha256(`${who}\n${new URL(c.req.url).pathname}\n${key}`);

    const replay = async () => {
      const stored = await db.selectFrom('idempotent_requests').selectAll().where('scope_hash', '=', scope).executeTakeFirst();
      if (!stored || Date.parse(stored.created_at) < now().getTime() - KEEP_MS) return null;
      return new Response(stored.body, { status: stored.status, headers: { 'content-type': stored.content_type, 'idempotent-replayed': 'true', 'cache-control': 'no-store' } });
    };
    // Registered before the first await, so a concurrent repeat always finds it and queues.
    const prior = running.get(scope);
    let done = () => {};
    const mine = new Promise<void>((resolve) => (done = resolve));
    const turn = prior ? prior.then(() => mine) : mine;
    running.set(scope, turn);
    try {
      if (prior) await prior;
      const earlier = await replay();
      if (earlier) return earlier;
      await next();
      // Only answers that changed something, or refused for good, are kept; a 5xx may be retried.
      if (c.res.status < 500) {
        const body = await c.res.clone().text();
        const at = now().toISOString();
        await db.deleteFrom('idempotent_requests').where('created_at', '<', new Date(now().getTime() - KEEP_MS).toISOString()).execute();
        await db
          .insertInto('idempotent_requests')
          .values({ scope_hash: scope, status: c.res.status, content_type: c.res.headers.get('content-type') ?? 'application/json', body, created_at: at })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    } finally {
      if (running.get(scope) === turn) running.delete(scope);
      done();
    }
  };
}
