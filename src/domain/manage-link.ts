import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A subscriber's manage and unsubscribe links carry `<id>.<version>.<mac>`: an HMAC under the
 * page's secret, so every mail can carry them without a token stored per subscriber. Raising
 * the subscriber's link_version (on unsubscribe and re-subscribe) retires every earlier link.
 */
export function manageToken(secret: string, subscriber: { id: number; link_version: number }): string {
  const payload = `${subscriber.id}.${subscriber.link_version}`;
  return `${payload}.${mac(secret, payload)}`;
}

export function parseManageToken(secret: string, token: string): { id: number; version: number } | null {
  const match = /^(\d{1,12})\.(\d{1,9})\.([\w-]{43})$/.exec(token);
  if (!match?.[1] || !match[2] || !match[3]) return null;
  const expected = Buffer.from(mac(secret, `${match[1]}.${match[2]}`));
  const given = Buffer.from(match[3]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { id: Number(match[1]), version: Number(match[2]) };
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`manage:${payload}`).digest('base64url');
}
