import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.ts';

/** Where src/fetch.ts leaves the request logger for the front server (scripts/start.mjs). */
export const REQUEST_LOG_KEY = Symbol.for('herald.requestLog');

const INCOMING_ID = /^[\w.:-]{1,64}$/;

/**
 * Gives every request an id (the proxy's X-Request-Id when it sent a sane one), returns it in
 * the answer so a user's report can be found in the log, and logs one line when the answer ends.
 */
export function createRequestLog(logger: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', id);
    if (!logger.isLevelEnabled('info')) return;
    const started = performance.now();
    res.once('close', () => {
      logger.info({
        req_id: id,
        method: req.method,
        url: withoutSecrets(req.url),
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
        completed: res.writableFinished,
      });
    });
  };
}

/**
 * Paths that carry a secret: an integration's receiving URL and a subscriber's manage link.
 * The log keeps which route it was, not what would let a reader of the log use it.
 */
export function withoutSecrets(url: string | undefined): string | undefined {
  return url
    ?.replace(/^(\/api\/integrations\/[\w-]+\/[\w-]+\/)[^/?#]+/, '$1[secret]')
    .replace(/^(\/subscriptions\/)(?!confirm\b)[^/?#]+/, '$1[token]')
    .replace(/^(\/subscriptions\/confirm\/)[^/?#]+/, '$1[token]');
}
