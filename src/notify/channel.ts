import type { Notification, Subscriber, SubscriberChannel } from '../db/schema.ts';

/** How a failed send should be handled. */
export type SendFailure = {
  /** Final: mark the delivery failed (and count a bounce). */
  permanent: boolean;
  /** The subscription no longer exists at the other end (push 404/410): remove the subscriber. */
  gone?: boolean;
  /** The receiver said when to come back (Retry-After). */
  retryAfterMs?: number;
  message: string;
};

/** One way of reaching subscribers (email, browser push); the worker is the same for all. */
export interface ChannelSender {
  readonly channel: SubscriberChannel;
  /** How many sends may be under way at once. */
  readonly concurrency: number;
  send(notification: Notification, subscriber: Subscriber): Promise<void>;
  classify(error: unknown): SendFailure;
  close(): void;
}
