/**
 * What happens after a failed send: retry later (with jittered exponential backoff, or when the
 * receiver said via Retry-After), give up and count a hard bounce (disabling the subscriber at
 * the limit), forget a subscription its push service says is gone, or disable a subscriber whose
 * webhook or channel the receiver says is gone (kept, and shown as such). Pure: the caller passes
 * the time and the random source.
 */

/** How a channel classified a failed send. */
export type SendFailure = {
  /** Final: mark the delivery failed (and count a bounce). */
  permanent: boolean;
  /** The subscription no longer exists at the other end (push 404/410): remove the subscriber. */
  gone?: boolean;
  /**
   * The target is gone but the subscriber is worth keeping (a webhook, Slack or Teams URL that
   * answers 404/410): disable it at once, for this reason, so the owner sees why.
   */
  disable?: string;
  /** The receiver said when to come back (Retry-After). */
  retryAfterMs?: number;
  message: string;
};

export type DeliveryPolicy = {
  retryBaseMs: number;
  /** Attempts after which a temporary failure is final. */
  maxAttempts: number;
  /** Hard bounces after which a subscriber is disabled. */
  bounceLimit: number;
};

export const DEFAULT_POLICY: Omit<DeliveryPolicy, 'retryBaseMs'> = { maxAttempts: 12, bounceLimit: 3 };

/** The longest wait between two attempts, and the longest Retry-After honoured. */
export const MAX_BACKOFF_MS = 3_600_000;
export const MAX_RETRY_AFTER_MS = 86_400_000;

export type FailureDecision =
  | { outcome: 'gone' }
  | { outcome: 'disabled'; reason: string }
  | { outcome: 'failed'; reason: string; bounceCount: number; disable: boolean }
  | { outcome: 'retry'; reason: string; nextAttemptAt: number };

/**
 * `attempts` counts the attempt that just failed (1 for the first); `bounceCount` is the
 * subscriber's hard bounces before it.
 */
export function decideFailure(
  policy: DeliveryPolicy,
  failure: SendFailure,
  attempt: { attempts: number; bounceCount: number },
  now: number,
  random: () => number,
): FailureDecision {
  if (failure.gone) return { outcome: 'gone' };
  if (failure.disable !== undefined) return { outcome: 'disabled', reason: failure.disable };
  if (failure.permanent) {
    const bounceCount = attempt.bounceCount + 1;
    return { outcome: 'failed', reason: failure.message, bounceCount, disable: bounceCount >= policy.bounceLimit };
  }
  if (attempt.attempts >= policy.maxAttempts)
    return { outcome: 'failed', reason: failure.message, bounceCount: attempt.bounceCount, disable: false };
  const delay =
    failure.retryAfterMs === undefined
      ? backoffMs(policy.retryBaseMs, attempt.attempts, random)
      : Math.min(Math.max(0, failure.retryAfterMs), MAX_RETRY_AFTER_MS);
  return { outcome: 'retry', reason: failure.message, nextAttemptAt: now + delay };
}

/** Exponential backoff with ±50 % jitter, capped at an hour, so retries do not stampede. */
export function backoffMs(baseMs: number, attempt: number, random: () => number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random()));
}
