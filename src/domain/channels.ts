import type { NotifyEvent } from './notify-event.ts';

/** The ways a subscriber can be reached. */
export const SUBSCRIBER_CHANNELS = ['email', 'push', 'webhook', 'slack', 'teams'] as const;
export type SubscriberChannel = (typeof SUBSCRIBER_CHANNELS)[number];

/** The channels whose deliveries are HTTP posts to an address the subscriber gave. */
export const POSTED_CHANNELS = ['webhook', 'slack', 'teams'] as const;
export type PostedChannel = (typeof POSTED_CHANNELS)[number];

export function isPostedChannel(channel: string): channel is PostedChannel {
  return (POSTED_CHANNELS as readonly string[]).includes(channel);
}

export const CHANNEL_LABELS: Record<SubscriberChannel, string> = {
  email: 'Email',
  push: 'Browser push',
  webhook: 'Webhook',
  slack: 'Slack',
  teams: 'Microsoft Teams',
};

/**
 * Which channels hear an event. A component's own status change is a Statuspage-style
 * `component_update` that only webhook receivers ask for; people hear of it in the incident's update.
 */
export function channelsFor(event: NotifyEvent): readonly SubscriberChannel[] {
  return event === 'component.updated' ? ['webhook'] : SUBSCRIBER_CHANNELS;
}

/**
 * Slack and Teams webhook URLs carry their credential in the path: the console shows the host
 * and the path's start, enough to recognise it, not to post to it.
 */
export function maskedTarget(url: string): string {
  try {
    const { host, pathname } = new URL(url);
    const shown = pathname.length > 12 ? `${pathname.slice(0, 12)}…` : pathname;
    return `${host}${shown}`;
  } catch {
    return 'an address';
  }
}

/**
 * "r…@example.com": enough for the team to recognise a subscriber where every member may read
 * (the audit log), not enough to copy the address.
 */
export function maskedEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at > 0 ? `${email[0]}…${email.slice(at)}` : 'an address';
}
