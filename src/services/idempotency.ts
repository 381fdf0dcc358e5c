import { findAnswer, forgetAnswersBefore, storeAnswer } from '../db/idempotency-repo.ts';
import type { IdempotentRequest } from '../db/schema.ts';
import type { ServiceContext } from './context.ts';

/** How long a request's first answer is replayed to its repeats. */
export const KEEP_ANSWERS_MS = 24 * 3_600_000;

export type StoredAnswer = Pick<IdempotentRequest, 'status' | 'content_type' | 'body'>;

/** The first answer given to a request scope within the last day, if any. */
export async function storedAnswer(ctx: ServiceContext, scopeHash: string): Promise<StoredAnswer | null> {
  const stored = await findAnswer(ctx.db, scopeHash);
  if (!stored || Date.parse(stored.created_at) < ctx.now().getTime() - KEEP_ANSWERS_MS) return null;
  return stored;
}

/** Keeps a request scope's first answer for its repeats, and drops answers past their day. */
export async function rememberAnswer(ctx: ServiceContext, scopeHash: string, answer: StoredAnswer): Promise<void> {
  const now = ctx.now().getTime();
  await forgetAnswersBefore(ctx.db, new Date(now - KEEP_ANSWERS_MS).toISOString());
  await storeAnswer(ctx.db, { scope_hash: scopeHash, ...answer, created_at: new Date(now).toISOString() });
}
