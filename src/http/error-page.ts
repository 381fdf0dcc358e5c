import type { Context } from 'hono';
import { onApiError } from '../api/problem.ts';
import { DatabaseBusy, TooManyRequests } from '../services/errors.ts';
import { plainPage } from './plain-page.ts';

/**
 * The last word on an error nothing else answered: problem+json under /api, a readable page
 * elsewhere. A busy database is a 503 the browser or client may retry, never a 500.
 */
export function answerError(error: Error, c: Context): Response {
  if (c.req.path.startsWith('/api/')) return onApiError(error, c);
  if (error instanceof DatabaseBusy)
    return plainPage(503, 'The status page is busy for a moment. Please try again in a few seconds.', {
      'retry-after': String(error.retryAfterSeconds),
    });
  if (error instanceof TooManyRequests)
    return plainPage(429, error.message, { 'retry-after': String(error.retryAfterSeconds) });
  console.error(`[http] ${c.req.method} ${c.req.path}`, error);
  return plainPage(500, 'Herald hit an unexpected error; nothing was changed. The server log has the details.');
}
