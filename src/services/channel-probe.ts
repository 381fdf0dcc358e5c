import type { PostedChannel } from '../domain/channels.ts';

export type ProbeTarget = { channel: PostedChannel; url: string; secret: string | null };

/** What a new subscription is sent before it receives updates. */
export type ProbeMessage =
  /** A signed test delivery that must be answered 2xx (webhooks). */
  | { kind: 'test' }
  /** A code posted into the channel, which the subscriber types back (Slack, Teams). */
  | { kind: 'code'; code: string };

export type ProbeLinks = { manage: string; unsubscribe: string };

/**
 * The port through which subscription use cases reach a subscriber's endpoint; the composition
 * root wires the outbound sender (src/notify) to it. Answers null when the endpoint took the
 * message, or why it did not, in words for the subscriber.
 */
export interface ChannelProbe {
  /** Whether the URL may be posted to (its text, and every address its host resolves to), before anything is stored. */
  check(url: string): Promise<string | null>;
  post(target: ProbeTarget, message: ProbeMessage, links: ProbeLinks): Promise<string | null>;
}
