import { pino, type Logger } from 'pino';

export type { Logger };

/** Where src/fetch.ts leaves the logger for the front server (scripts/start.mjs). */
export const LOGGER_KEY = Symbol.for('herald.logger');

/**
 * One JSON line per event on standard output, for whatever collects the logs (journald, a
 * container runtime, a log shipper). Written asynchronously so a flood of requests does not
 * wait on the terminal; `flush()` on stop writes what is left.
 */
export function createLogger(level: string): Logger {
  return pino(
    { level, base: { service: 'herald' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 1, sync: false }),
  );
}
