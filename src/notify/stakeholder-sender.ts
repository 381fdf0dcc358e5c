import { Agent as HttpsAgent } from 'node:https';
import { DEFAULT_POLICY, type DeliveryPolicy, type SendFailure } from '../domain/delivery-policy.ts';
import type { StakeholderPayload } from '../domain/stakeholder-message.ts';
import { DueLoop } from './due-loop.ts';
import { Semaphore } from '../lib/semaphore.ts';
import type { Logger } from '../logger.ts';
import { stakeholderMail, stakeholderSlack, stakeholderTeams } from '../render/stakeholder-message.ts';
import type { ServiceContext } from '../services/context.ts';
import {
  claimStakeholderMessage,
  dueStakeholderMessages,
  nextStakeholderMessageDueAt,
  stakeholderMessageFailed,
  stakeholderMessageSent,
} from '../services/stakeholder-outbox.ts';
import type { StakeholderCourier, StakeholderRecipient } from '../services/stakeholders.ts';
import { isPermanentMailError, type Mailer } from './mailer.ts';
import { classifyResponse, DEFAULT_PER_HOST_LIMIT, type OutboundOptions } from './outbound-post.ts';
import { postTo } from './posted-sender.ts';

const BATCH = 20;
/** The longest idle wait: the poll that catches messages queued by another process. */
const POLL_MS = 5_000;

export type StakeholderSenderOptions = {
  logger: Logger;
  /** The console's origin: links in the messages go to its incident pages. */
  baseUrl: string;
  outbound: OutboundOptions;
  retryBaseMs: number;
  maxAttempts?: number;
};

/**
 * Sends the messages queued for internal stakeholders: mail through the page's mailer (its From
 * and DKIM), Slack and Teams through outbound-post.ts (checked, pinned, 10 s, no redirects). One
 * message at a time, claimed before and marked sent only after its send, so a crash repeats at
 * most the one in flight. Woken after a write commits; polls besides.
 */
export class StakeholderSender implements StakeholderCourier {
  readonly #ctx: ServiceContext;
  readonly #mailer: Mailer;
  readonly #logger: Logger;
  readonly #baseUrl: string;
  readonly #outbound: OutboundOptions;
  readonly #policy: DeliveryPolicy;
  // The loop and a drain() never send the same row at once.
  readonly #pass = new Semaphore(1);
  #stopping = false;
  readonly #loop: DueLoop;

  constructor(ctx: ServiceContext, mailer: Mailer, options: StakeholderSenderOptions) {
    this.#ctx = ctx;
    this.#mailer = mailer;
    this.#logger = options.logger;
    this.#baseUrl = options.baseUrl;
    this.#outbound = {
      ...options.outbound,
      agent:
        options.outbound.agent ??
        new HttpsAgent({ keepAlive: true, maxSockets: options.outbound.perHostLimit ?? DEFAULT_PER_HOST_LIMIT }),
    };
    this.#policy = {
      ...DEFAULT_POLICY,
      retryBaseMs: options.retryBaseMs,
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    };
    this.#loop = new DueLoop({
      pass: () => this.sendDue(),
      nextDueAt: () => nextStakeholderMessageDueAt(this.#ctx),
      now: ctx.now,
      pollMs: POLL_MS,
      logger: options.logger,
      what: 'stakeholder sender',
    });
  }

  start(): void {
    this.#loop.start();
  }

  wake(): void {
    this.#loop.wake();
  }

  /** Lets the message under way finish, then stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#loop.stop();
    (this.#outbound.agent as HttpsAgent | undefined)?.destroy();
  }

  /** Sends everything due now (tests; the loop does the same on its own). */
  async drain(): Promise<void> {
    while ((await this.sendDue()) > 0);
  }

  /** One pass: the due messages of a batch, each claimed, sent and recorded. Answers how many were taken. */
  sendDue(): Promise<number> {
    return this.#pass.run(() => this.#sendBatch());
  }

  /** Sends one message now, outside the queue (the console's "Send test"): null when it went, or why not. */
  async deliver(recipient: StakeholderRecipient, message: StakeholderPayload): Promise<string | null> {
    try {
      await this.#send(recipient, message);
      return null;
    } catch (error) {
      return this.#classify(recipient, error).message;
    }
  }

  async #sendBatch(): Promise<number> {
    const due = await dueStakeholderMessages(this.#ctx, BATCH);
    let taken = 0;
    for (const item of due) {
      if (this.#stopping && taken > 0) break;
      if (!(await claimStakeholderMessage(this.#ctx, item))) continue;
      taken++;
      try {
        await this.#send(item.recipient, item.message);
      } catch (error) {
        const failure = this.#classify(item.recipient, error);
        const outcome = await stakeholderMessageFailed(this.#ctx, item, failure, this.#policy);
        this.#logger.warn(
          { stakeholder: item.recipient.name, channel: item.recipient.channel, attempt: item.attempts + 1, outcome },
          `could not send a stakeholder message: ${failure.message}`,
        );
        continue;
      }
      await stakeholderMessageSent(this.#ctx, item.id);
    }
    return taken;
  }

  async #send(recipient: StakeholderRecipient, message: StakeholderPayload): Promise<void> {
    if (recipient.channel === 'email') {
      await this.#mailer.send(stakeholderMail(recipient.target, message, this.#baseUrl));
      return;
    }
    const body =
      recipient.channel === 'slack'
        ? stakeholderSlack(message, this.#baseUrl)
        : stakeholderTeams(message, this.#baseUrl);
    // Plain http (HERALD_OUTBOUND_ALLOW_HTTP) cannot use the https agent: a fresh socket per post.
    const { agent: _https, ...fresh } = this.#outbound;
    const options = recipient.target.startsWith('http:') ? fresh : this.#outbound;
    await postTo(
      recipient.target,
      JSON.stringify(body),
      { 'content-type': 'application/json', 'user-agent': 'Herald-Webhooks' },
      options,
    );
  }

  #classify(recipient: StakeholderRecipient, error: unknown): SendFailure {
    if (recipient.channel === 'email') {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 300);
      return { permanent: isPermanentMailError(error), message };
    }
    return classifyResponse(error) ?? { permanent: false, message: 'no failure recorded' };
  }
}
