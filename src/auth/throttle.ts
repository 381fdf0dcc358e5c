/**
 * Counts failed sign-ins per key (an account, an address) in a sliding window. Kept in memory:
 * Herald runs as one process, and a restart forgetting the counts costs an attacker nothing new.
 */
export class Throttle {
  #failures = new Map<string, number[]>();

  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Seconds until the key may try again, or 0 if it may try now. */
  retryAfter(key: string, now: number): number {
    const recent = this.#recent(key, now);
    if (recent.length < this.#limit) return 0;
    const oldest = recent[recent.length - this.#limit] ?? now;
    return Math.max(1, Math.ceil((oldest + this.#windowMs - now) / 1000));
  }

  fail(key: string, now: number): void {
    const recent = this.#recent(key, now);
    recent.push(now);
    this.#failures.set(key, recent);
    if (this.#failures.size > 50_000) this.#sweep(now);
  }

  reset(key: string): void {
    this.#failures.delete(key);
  }

  #recent(key: string, now: number): number[] {
    return (this.#failures.get(key) ?? []).filter((t) => t > now - this.#windowMs);
  }

  #sweep(now: number): void {
    for (const [key, times] of this.#failures) {
      if (!times.some((t) => t > now - this.#windowMs)) this.#failures.delete(key);
    }
  }
}
