import { Hono } from 'hono';
import type { Runtime } from '../../runtime.ts';

/** /feed.atom, /feed.rss and /maintenance.ics. */
export function feedRoutes(_runtime: Runtime): Hono {
  return new Hono();
}
