import type { Recipient } from '../db/outbox-repo.ts';
import type { Notification, SubscriberChannel } from '../db/schema.ts';
import type { SendFailure } from '../domain/delivery-policy.ts';

export type { Recipient, SendFailure };

/** One way of reaching subscribers (email, browser push); the worker is the same for all. */
export interface ChannelSender {
  readonly channel: SubscriberChannel;
  /** How many sends may be under way at once. */
  readonly concurrency: number;
  send(notification: Notification, recipient: Recipient): Promise<void>;
  /** How a failed send should be handled (src/domain/delivery-policy.ts decides what follows). */
  classify(error: unknown): SendFailure;
  close(): void;
}
