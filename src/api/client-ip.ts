import type { Context } from 'hono';

// Set on each request by Astro's Node adapter (see astro's core/app/node).
const CLIENT_ADDRESS = Symbol.for('astro.clientAddress');

/** The caller's address; X-Forwarded-For only counts behind a proxy we were told to trust. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const address: unknown = Reflect.get(c.req.raw, CLIENT_ADDRESS);
  return typeof address === 'string' ? address : 'unknown';
}
