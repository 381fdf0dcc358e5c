import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Notification } from '../db/schema.ts';
import type { PostedChannel } from '../domain/channels.ts';
import { manageToken } from '../domain/manage-link.ts';
import { incidentLink, publicBase } from '../domain/public-link.ts';
import { standardWebhookHeaders } from '../lib/standard-webhooks.ts';
import type { ChannelMessageInput, SubscriberLinks } from '../render/channel-message.ts';
import { slackMessage } from '../render/slack-message.ts';
import { v2Component, v2PageId } from '../render/statuspage-documents.ts';
import { teamsMessage } from '../render/teams-card.ts';
import { componentUpdatePayload, webhookPayload } from '../render/webhook-payload.ts';
import type { ServiceContext } from '../services/context.ts';
import { channelNotificationView, PerNotification } from '../services/notification-view.ts';
import type { ChannelSender, Recipient, SendFailure } from './channel.ts';
import {
  classifyResponse,
  DEFAULT_PER_HOST_LIMIT,
  type OutboundOptions,
  postJson,
  ReceiverAnswered,
} from './outbound-post.ts';

export type PostedSenderOptions = {
  baseUrl: string;
  concurrency: number;
  outbound: OutboundOptions;
};

/**
 * What a notification says, rendered once with a stand-in for the subscriber's link token; a send
 * puts the subscriber's own token in its place (rendering per subscriber was most of a post's CPU).
 */
type Prepared = {
  secret: string;
  /** Null: nothing public to say (a hidden component's change). */
  body: string | null;
};

/** Letters and digits only, so no renderer escapes or splits it; tokens are URL- and JSON-safe too. */
const TOKEN_STAND_IN = 'HeraldLinkToken7f3a9c';

/**
 * Webhook, Slack and Teams deliveries: the same JSON post to a subscriber-given URL, each channel
 * with its own body. Posts go through outbound-post.ts (public addresses only, pinned, 10 s,
 * redirects not followed); what a failed answer means is its classifyResponse's.
 */
export class PostedSender implements ChannelSender {
  readonly channel: PostedChannel;
  readonly concurrency: number;
  #ctx: ServiceContext;
  #baseUrl: string;
  #outbound: OutboundOptions;
  #prepared = new PerNotification<Prepared>((n) => this.#prepare(n));

  constructor(ctx: ServiceContext, channel: PostedChannel, options: PostedSenderOptions) {
    this.#ctx = ctx;
    this.channel = channel;
    this.concurrency = options.concurrency;
    this.#baseUrl = options.baseUrl;
    // Kept-alive sockets per sender: thousands of posts go to the same few hosts (Slack's, Teams').
    const agentOptions = { keepAlive: true, maxSockets: options.outbound.perHostLimit ?? DEFAULT_PER_HOST_LIMIT };
    this.#outbound = {
      ...options.outbound,
      agent: options.outbound.agent ?? new HttpsAgent(agentOptions),
    };
    this.#httpAgent = new HttpAgent(agentOptions);
  }

  #httpAgent: HttpAgent;

  async send(notification: Notification, recipient: Recipient): Promise<void> {
    if (!recipient.target_url) throw new ReceiverAnswered({ status: 410, headers: {}, bodySnippet: 'no address' });
    const prepared = await this.#prepared.get(notification);
    if (prepared.body === null) return;
    const body = prepared.body.replaceAll(TOKEN_STAND_IN, manageToken(prepared.secret, recipient));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Herald-Webhooks' };
    if (this.channel === 'webhook' && recipient.signing_secret)
      Object.assign(
        headers,
        standardWebhookHeaders(recipient.signing_secret, {
          // The same id on every attempt at this notification for this subscriber: receivers dedupe on it.
          id: `msg_${notification.id}_${recipient.id}`,
          timestamp: new Date(),
          body,
        }),
      );
    await postTo(recipient.target_url, body, headers, this.#options(recipient.target_url));
  }

  classify(error: unknown): SendFailure {
    return classifyResponse(error) ?? { permanent: false, message: 'no failure recorded' };
  }

  close(): void {
    (this.#outbound.agent as HttpsAgent | undefined)?.destroy();
    this.#httpAgent.destroy();
  }

  #options(url: string): OutboundOptions {
    return url.startsWith('http:')
      ? (this.#httpOutbound ??= { ...this.#outbound, agent: this.#httpAgent })
      : this.#outbound;
  }

  #httpOutbound: OutboundOptions | undefined;

  async #prepare(notification: Notification): Promise<Prepared> {
    const view = await channelNotificationView(this.#ctx, notification);
    const baseUrl = publicBase(view.settings.base_url, this.#baseUrl);
    const page = { pageName: view.settings.page_name, baseUrl, pageStatus: view.status };
    const message = (links: SubscriberLinks): ChannelMessageInput => ({
      ...page,
      components: view.components,
      incident: view.incident,
      updateId: notification.update_id,
      event: notification.event,
      links: { ...links, permalink: incidentLink(baseUrl, view.incident.code, notification.update_id ?? undefined) },
    });
    const change = view.change;
    const component = change ? view.components.get(change.component_id) : undefined;
    let render: (links: SubscriberLinks) => object;
    if (notification.event === 'component.updated') {
      if (!change || !component) return { secret: view.settings.link_secret, body: null };
      render = (links) =>
        componentUpdatePayload({
          ...page,
          links,
          change: {
            id: String(change.id),
            component: v2Component(component, v2PageId(baseUrl)),
            old_status: change.from_status ?? 'operational',
            new_status: change.to_status,
            created_at: change.changed_at,
          },
        });
    } else if (this.channel === 'webhook') render = (links) => webhookPayload(message(links));
    else if (this.channel === 'slack') render = (links) => slackMessage(message(links));
    else render = (links) => teamsMessage(message(links));
    const links = {
      manage: `${baseUrl}/subscriptions/${TOKEN_STAND_IN}`,
      unsubscribe: `${baseUrl}/subscriptions/${TOKEN_STAND_IN}/unsubscribe`,
    };
    return { secret: view.settings.link_secret, body: JSON.stringify(render(links)) };
  }
}

/** A post that counts only a 2xx answer as delivered. */
export async function postTo(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: OutboundOptions,
): Promise<void> {
  const response = await postJson(url, body, headers, options);
  if (response.status < 200 || response.status >= 300) throw new ReceiverAnswered(response);
}
