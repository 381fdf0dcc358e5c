/** How many requests of one kind a subject (an address, an account) may make in a window. */
export type RateLimit = { name: string; limit: number; windowMs: number };

export function windowStart(now: number, windowMs: number): number {
  return now - (now % windowMs);
}

/**
 * The sliding-window estimate: the current window's hits plus the previous window's, weighted by
 * how much of it still lies within one window of now. Two counters per key, no timestamps list.
 */
export function slidingHits(previous: number, current: number, now: number, windowMs: number): number {
  const elapsed = (now % windowMs) / windowMs;
  return current + previous * (1 - elapsed);
}

/** Whole seconds until the estimate drops back to the limit (at least one). */
export function secondsUntilAllowed(previous: number, current: number, now: number, limit: RateLimit): number {
  const { windowMs } = limit;
  const start = windowStart(now, windowMs);
  // Within this window only the previous window's share shrinks; past it, only `current` remains.
  if (current <= limit.limit && previous > 0) {
    const share = (previous - (limit.limit - current)) / previous;
    const freeAt = start + windowMs * share;
    if (freeAt > now) return Math.max(1, Math.ceil((freeAt - now) / 1000));
  }
  return Math.max(1, Math.ceil((start + windowMs - now) / 1000));
}

// Sign-in: counted before the password is checked, so parallel guesses cannot race past them.
export const SIGN_IN_PER_ACCOUNT: RateLimit = { name: 'sign-in:account', limit: 10, windowMs: 15 * 60_000 };
export const SIGN_IN_PER_ADDRESS: RateLimit = { name: 'sign-in:address', limit: 30, windowMs: 15 * 60_000 };

// Public writes, per client address. Generous for an office behind one address during an
// outage, far below what turns Herald into a mail cannon or fills its tables.
export const SUBSCRIBE_PER_ADDRESS: RateLimit = { name: 'subscribe:address', limit: 20, windowMs: 3_600_000 };
export const PUSH_PER_ADDRESS: RateLimit = { name: 'push:address', limit: 30, windowMs: 3_600_000 };
export const PUSH_PER_ENDPOINT: RateLimit = { name: 'push:endpoint', limit: 10, windowMs: 3_600_000 };
export const PUSH_LOOKUP_PER_ADDRESS: RateLimit = { name: 'push-lookup:address', limit: 300, windowMs: 3_600_000 };
export const CONFIRM_PER_ADDRESS: RateLimit = { name: 'confirm:address', limit: 30, windowMs: 3_600_000 };
export const MANAGE_PER_ADDRESS: RateLimit = { name: 'manage:address', limit: 60, windowMs: 3_600_000 };
// Mail providers send RFC 8058 one-click unsubscribes from a few shared addresses.
export const UNSUBSCRIBE_PER_ADDRESS: RateLimit = { name: 'unsubscribe:address', limit: 600, windowMs: 3_600_000 };

/** The owner's ceiling on confirmation mails an hour; its limit comes from the settings. */
export const confirmationMails = (perHour: number): RateLimit => ({
  name: 'confirmation-mail',
  limit: perHour,
  windowMs: 3_600_000,
});

// Channels Herald posts to: each subscription costs Herald an outbound request, so fewer.
export const CHANNEL_SUBSCRIBE_PER_ADDRESS: RateLimit = {
  name: 'channel-subscribe:address',
  limit: 10,
  windowMs: 3_600_000,
};
// A code posted into a Slack or Teams channel: a few tries, then subscribe again for a new one.
export const CODE_TRIES_PER_SUBSCRIPTION: RateLimit = {
  name: 'channel-code:subscription',
  limit: 5,
  windowMs: 3_600_000,
};
