import type { MiddlewareHandler } from 'hono';
import { sha256 } from '../lib/ids.ts';
import type { ServiceContext } from '../services/context.ts';
import { rememberAnswer, storedAnswer } from '../services/idempotency.ts';
import { HttpProblem } from './problem.ts';
import type { Env } from './routes.ts';

/**
 * POSTs that carry an Idempotency-Key are done once: a retry (a double click, a script's retry
 * after a time-out) gets the first answer again, marked Idempotent-Replayed. Concurrent repeats
 * wait for the first, which this single process can see; answers are kept 24 hours.
 */
export function idempotency(ctx: ServiceContext): MiddlewareHandler<Env> {
  const running = new Map<string, Promise<void>>();
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!/^[\x21-\x7e]{8,200}$/.test(key))
      throw new HttpProblem(400, 'Idempotency-Key must be 8 to 200 printable characters, e.g. a UUID');
    const actor = c.get('actor');
    const who = actor?.kind === 'user' ? actor.userId : 'anonymous';
    const scope = sha256(`${who}\n${new URL(c.req.url).pathname}\n${key}`);

    const replay = async () => {
      const stored = await storedAnswer(ctx, scope);
      if (!stored) return null;
      return new Response(stored.body, {
        status: stored.status,
        headers: { 'content-type': stored.content_type, 'idempotent-replayed': 'true', 'cache-control': 'no-store' },
      });
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
        await rememberAnswer(ctx, scope, {
          status: c.res.status,
          content_type: c.res.headers.get('content-type') ?? 'application/json',
          body,
        });
      }
    } finally {
      if (running.get(scope) === turn) running.delete(scope);
      done();
    }
  };
}
