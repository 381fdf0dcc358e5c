import type { Context } from 'hono';
import { clientAddress } from '../site/client-address.ts';

export function clientIp(c: Context, trustProxy: boolean): string {
  return clientAddress(c.req.raw, trustProxy);
}
