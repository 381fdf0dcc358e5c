import * as repo from '../db/stakeholders-repo.ts';
import { decideFailure, type DeliveryPolicy, type SendFailure } from '../domain/delivery-policy.ts';
import type { StakeholderPayload } from '../domain/stakeholder-message.ts';
import { iso, type ServiceContext } from './context.ts';
import type { StakeholderRecipient } from './stakeholders.ts';

/** How long a claimed message is held by its sender; a sender that died lets it fall due again then. */
export const CLAIM_LEASE_MS = 5 * 60_000;

export type DueStakeholderMessage = {
  id: number;
  /** Attempts before this one. */
  attempts: number;
  next_attempt_at: string;
  recipient: StakeholderRecipient;
  message: StakeholderPayload;
};

/** The messages due now, oldest first; each must be claimed before it is sent. */
export async function dueStakeholderMessages(ctx: ServiceContext, limit: number): Promise<DueStakeholderMessage[]> {
  const rows = await repo.dueMessages(ctx.db, iso(ctx.now()), limit);
  return rows.map((row) => ({
    id: row.id,
    attempts: row.attempts,
    next_attempt_at: row.next_attempt_at ?? '',
    recipient: { name: row.name, channel: row.channel, target: row.target },
    message: JSON.parse(row.payload) as StakeholderPayload,
  }));
}

/**
 * Takes one message for one send, counting the attempt: false when another sender took it. Marked
 * sent only after the send, so a crash in between repeats this message and no other.
 */
export function claimStakeholderMessage(ctx: ServiceContext, message: DueStakeholderMessage): Promise<boolean> {
  const lease = iso(new Date(ctx.now().getTime() + CLAIM_LEASE_MS));
  return repo.claimMessage(ctx.db, { id: message.id, next_attempt_at: message.next_attempt_at }, lease);
}

export async function stakeholderMessageSent(ctx: ServiceContext, id: number): Promise<void> {
  await repo.markMessageSent(ctx.db, id, iso(ctx.now()));
}

/**
 * A send failed: tried again after the delivery policy's backoff (or the receiver's Retry-After),
 * or given up, with its reason, once final or after the policy's attempts.
 */
export async function stakeholderMessageFailed(
  ctx: ServiceContext,
  message: Pick<DueStakeholderMessage, 'id' | 'attempts'>,
  failure: SendFailure,
  policy: DeliveryPolicy,
  random: () => number = Math.random,
): Promise<'retry' | 'failed'> {
  const now = ctx.now().getTime();
  // No subscriber to bounce or disable here: a stakeholder is kept, and the console shows why.
  const decision = decideFailure(policy, failure, { attempts: message.attempts + 1, bounceCount: 0 }, now, random);
  const reason = (failure.disable ?? failure.message).slice(0, 500);
  if (decision.outcome === 'retry') {
    await repo.retryMessageAt(ctx.db, message.id, iso(new Date(decision.nextAttemptAt)), reason);
    return 'retry';
  }
  await repo.markMessageFailed(ctx.db, message.id, iso(new Date(now)), reason);
  return 'failed';
}

export function nextStakeholderMessageDueAt(ctx: ServiceContext): Promise<string | null> {
  return repo.nextMessageDueAt(ctx.db);
}
