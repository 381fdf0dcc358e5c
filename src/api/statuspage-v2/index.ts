import { Hono } from 'hono';
import type { Runtime } from '../../runtime.ts';

/** Statuspage public API v2 documents under /api/v2. */
export function statuspageV2Routes(_runtime: Runtime): Hono {
  return new Hono();
}
