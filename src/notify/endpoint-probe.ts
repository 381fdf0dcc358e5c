import { randomUUID } from 'node:crypto';
import { publicBase } from '../domain/public-link.ts';
import { standardWebhookHeaders } from '../lib/standard-webhooks.ts';
import { slackConfirmationMessage, slackTestMessage } from '../render/slack-message.ts';
import { teamsConfirmationMessage, teamsTestMessage } from '../render/teams-card.ts';
import { webhookTestPayload } from '../render/webhook-payload.ts';
import type { ChannelProbe, ProbeLinks, ProbeMessage, ProbeTarget } from '../services/channel-probe.ts';
import type { ServiceContext } from '../services/context.ts';
import { getPublicStatus } from '../services/public-status.ts';
import { checkTarget, classifyResponse, type OutboundOptions } from './outbound-post.ts';
import { postTo } from './posted-sender.ts';

/**
 * The first message to a new webhook, Slack or Teams subscription (a signed test, or a code to
 * type back), and "send a test" later: the same outbound path as every delivery.
 */
export class EndpointProbe implements ChannelProbe {
  #ctx: ServiceContext;
  #baseUrl: string;
  #outbound: OutboundOptions;

  constructor(ctx: ServiceContext, options: { baseUrl: string; outbound: OutboundOptions }) {
    this.#ctx = ctx;
    this.#baseUrl = options.baseUrl;
    this.#outbound = options.outbound;
  }

  async check(url: string): Promise<string | null> {
    try {
      await checkTarget(url, this.#outbound);
      return null;
    } catch (error) {
      return classifyResponse(error)?.message ?? 'the address cannot be reached';
    }
  }

  async post(target: ProbeTarget, message: ProbeMessage, links: ProbeLinks): Promise<string | null> {
    const { settings, status } = await getPublicStatus(this.#ctx);
    const page = {
      pageName: settings.page_name,
      baseUrl: publicBase(settings.base_url, this.#baseUrl),
      pageStatus: status,
      links,
    };
    let body: object;
    if (message.kind === 'code') {
      const input = { pageName: page.pageName, code: message.code, manageUrl: links.manage };
      body = target.channel === 'teams' ? teamsConfirmationMessage(input) : slackConfirmationMessage(input);
    } else if (target.channel === 'webhook') body = webhookTestPayload(page);
    else body = target.channel === 'slack' ? slackTestMessage(page) : teamsTestMessage(page);
    const json = JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Herald-Webhooks' };
    if (target.channel === 'webhook' && target.secret)
      Object.assign(
        headers,
        standardWebhookHeaders(target.secret, { id: `msg_test_${randomUUID()}`, timestamp: new Date(), body: json }),
      );
    try {
      await postTo(target.url, json, headers, this.#outbound);
      return null;
    } catch (error) {
      return classifyResponse(error)?.message ?? 'the endpoint did not take the message';
    }
  }
}
