import { SUBSCRIBER_CHANNELS, type SubscriberChannel } from '../domain/channels.ts';

const PHRASES: Record<SubscriberChannel, string> = {
  email: 'by email',
  push: 'in browsers',
  webhook: 'by webhook',
  slack: 'in Slack',
  teams: 'in Teams',
};

/** "12 by email, 3 in browsers, 1 in Slack": the channels that have anyone, email always. */
export function audienceBreakdown(counts: Record<SubscriberChannel, number>): string {
  return SUBSCRIBER_CHANNELS.filter((c) => c === 'email' || counts[c] > 0)
    .map((c) => `${counts[c]} ${PHRASES[c]}`)
    .join(', ');
}
