import type { Kysely } from 'kysely';
import * as repo from '../db/rate-limits-repo.ts';
import type { Database } from '../db/schema.ts';
import { type RateLimit, secondsUntilAllowed, slidingHits, windowStart } from '../domain/rate-limit.ts';
import type { ServiceContext } from './context.ts';
import { TooManyRequests } from './errors.ts';

const PRUNE_EVERY = 1_000;
let hitsSincePrune = 0;

const keyOf = (limit: RateLimit, subject: string) => `${limit.name}:${subject}`;

/**
 * Counts a request against a limit first and then says whether it was within it: N requests
 * racing each other are all counted, so at most `limit` of them get through.
 * Answers 0 when allowed, else the seconds to wait. Inside a transaction, pass it as `db`.
 */
export async function countHit(
  ctx: ServiceContext,
  limit: RateLimit,
  subject: string,
  db: Kysely<Database> = ctx.db,
): Promise<number> {
  const now = ctx.now().getTime();
  const key = keyOf(limit, subject);
  const start = windowStart(now, limit.windowMs);
  const current = await repo.addHit(db, key, start);
  const previous = await repo.hitsIn(db, key, start - limit.windowMs);
  if (++hitsSincePrune >= PRUNE_EVERY) {
    hitsSincePrune = 0;
    // The longest window is an hour; nothing older than two of them can still count.
    await repo.pruneWindowsBefore(db, now - 2 * 3_600_000);
  }
  return slidingHits(previous, current, now, limit.windowMs) <= limit.limit
    ? 0
    : secondsUntilAllowed(previous, current, now, limit);
}

/** Counts the request against every limit and refuses it if any is exceeded. */
export async function enforceLimits(
  ctx: ServiceContext,
  checks: [RateLimit, string][],
  message: string,
): Promise<void> {
  let wait = 0;
  for (const [limit, subject] of checks) wait = Math.max(wait, await countHit(ctx, limit, subject));
  if (wait > 0) throw new TooManyRequests(message, wait);
}

export async function forgetHits(ctx: ServiceContext, limit: RateLimit, subject: string): Promise<void> {
  await repo.forgetKey(ctx.db, keyOf(limit, subject));
}

/** Takes back a hit counted by `countHit`: for limits that are meant to count failures only. */
export async function refundHit(ctx: ServiceContext, limit: RateLimit, subject: string): Promise<void> {
  await repo.removeHit(ctx.db, keyOf(limit, subject), windowStart(ctx.now().getTime(), limit.windowMs));
}
