import type { Notification, SubscriberChannel } from '../db/schema.ts';
import { DEFAULT_POLICY, type DeliveryPolicy } from '../domain/delivery-policy.ts';
import { observeSend, type SendOutcome } from '../metrics/registry.ts';
import type { ServiceContext } from '../services/context.ts';
import * as deliveries from '../services/deliveries.ts';
import type { ChannelSender } from './channel.ts';
import { FanoutProgress } from './fanout-progress.ts';
import { Doze } from '../lib/doze.ts';
import { Semaphore } from '../lib/semaphore.ts';

export type WorkerOptions = {
  retryBaseMs: number;
  maxAttempts?: number;
  /** Hard bounces after which a subscriber is disabled. */
  bounceLimit?: number;
  pollMs?: number;
};

/** Subscribers read per key range of a fan-out's audience. */
const PAGE = 200;
/** Sends per fan-out and call of sendDue, so the loop comes round (retries, stop, health). */
const BUDGET = 20_000;
/** The longest run of sends between two turns of the event loop. */
const SLICE_MS = 4;

/**
 * Sends a fan-out's progress in batches of at most SENT_BATCH recipients: a crash repeats only the
 * sends of the batch not yet recorded and those in flight, each at most once.
 */
export { SENT_BATCH } from './fanout-progress.ts';

type Job = { recipient: deliveries.Recipient; notification: Notification; attempts: number; deliveryId: number | null };

/**
 * The notification loop and its send pool, in the server's own process. What is sent to whom,
 * and what a failure means, are the services' and the delivery policy's (services/deliveries.ts).
 */
export class NotificationWorker {
  #ctx: ServiceContext;
  #senders: Map<SubscriberChannel, ChannelSender>;
  #policy: DeliveryPolicy;
  #pollMs: number;
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  readonly #doze = new Doze();
  #notifications = new Map<number, Notification>();
  #lastBeat = 0;
  #stopping = false;
  #sliceStartedAt = 0;
  readonly #claims = new Semaphore(1);

  constructor(ctx: ServiceContext, senders: ChannelSender[], options: WorkerOptions) {
    this.#ctx = ctx;
    this.#senders = new Map(senders.map((s) => [s.channel, s]));
    this.#policy = {
      retryBaseMs: options.retryBaseMs,
      maxAttempts: options.maxAttempts ?? DEFAULT_POLICY.maxAttempts,
      bounceLimit: options.bounceLimit ?? DEFAULT_POLICY.bounceLimit,
    };
    this.#pollMs = options.pollMs ?? 1000;
  }

  async start(): Promise<void> {
    const released = await deliveries.releaseInterrupted(this.#ctx);
    if (released > 0)
      console.log(`[notify] ${released} retries were being sent when Herald stopped; sending them again`);
    this.#stopping = false;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Called after each committed write, so a new notification does not wait for the next poll. */
  wake(): void {
    this.#doze.wake();
  }

  /** Running, and when its loop last came round: what /readyz reports. */
  get health(): { running: boolean; lastBeatAt: number } {
    return { running: this.#running, lastBeatAt: this.#lastBeat };
  }

  /**
   * Lets the sends already under way finish and be recorded, hands back what was claimed but not
   * yet started, and closes the senders: after a stop, nobody is owed or sent a mail twice.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#running = false;
    this.wake();
    await this.#loop;
    for (const sender of this.#senders.values()) sender.close();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#doze.reset();
      this.#lastBeat = Date.now();
      let busy = false;
      try {
        busy = (await this.expand()) > 0;
        busy = (await this.sendDue()) > 0 || busy;
      } catch (error) {
        console.error('[notify]', error);
      }
      if (!busy && this.#running) await this.#sleep();
    }
  }

  async #sleep(): Promise<void> {
    const next = await deliveries.nextRetryAt(this.#ctx, [...this.#senders.keys()]);
    const untilDue = next ? Date.parse(next) - this.#ctx.now().getTime() : Infinity;
    const ms = Math.max(5, Math.min(this.#pollMs, untilDue));
    await this.#doze.sleep(ms);
  }

  /** Opens a fan-out per channel for new notifications; answers how many are running. */
  async expand(): Promise<number> {
    return (await deliveries.openFanouts(this.#ctx, [...this.#senders.keys()])).length;
  }

  /** Sends due retries and the next part of each running fan-out, on every channel. */
  async sendDue(): Promise<number> {
    const results = await Promise.all([...this.#senders.values()].map((sender) => this.#sendChannel(sender)));
    return results.reduce((a, b) => a + b, 0);
  }

  async #sendChannel(sender: ChannelSender): Promise<number> {
    let sent = await this.#sendRetries(sender);
    for (const fanout of await deliveries.openFanouts(this.#ctx, [sender.channel])) {
      if (this.#stopping) break;
      sent += await this.#fanOut(sender, fanout);
    }
    return sent;
  }

  async #sendRetries(sender: ChannelSender): Promise<number> {
    // One channel's claim at a time: a claim is a write, and while another process holds the
    // database each waiting write holds a pooled connection; five channels at once would hold them
    // all and leave the readers none.
    const claimed = await this.#claims.run(() =>
      deliveries.claimDueRetries(this.#ctx, sender.channel, sender.concurrency * 50),
    );
    if (claimed.length === 0) return 0;
    let next = 0;
    await this.#pool(
      sender,
      async () => {
        while (next < claimed.length && !this.#stopping) {
          const retry = claimed[next++];
          if (!retry) break;
          const notification = await this.#notification(retry.notification_id);
          if (!retry.recipient || !notification) {
            await deliveries.dropRetry(this.#ctx, retry.id);
            continue;
          }
          return { recipient: retry.recipient, notification, attempts: retry.attempts, deliveryId: retry.id };
        }
        return undefined;
      },
      async (job, outcome) => {
        if (outcome === 'sent' && job.deliveryId !== null)
          await deliveries.recordRetriesSent(this.#ctx, [job.deliveryId]);
      },
    );
    const unstarted = claimed.slice(next).map((d) => d.id);
    if (unstarted.length > 0) await deliveries.releaseClaimed(this.#ctx, unstarted);
    return claimed.length;
  }

  /**
   * Streams one fan-out's audience by key ranges into the send pool (the next range is read while
   * the last sends of this one are under way) and records its progress as it goes.
   */
  async #fanOut(sender: ChannelSender, fanout: deliveries.OpenFanout): Promise<number> {
    const progress = new FanoutProgress(
      (cursor, sent, finished) => deliveries.recordProgress(this.#ctx, fanout, cursor, sent, finished),
      fanout.cursor,
    );
    let queue: deliveries.Recipient[] = [];
    let head = 0;
    let after = fanout.cursor;
    let exhausted = false;
    let taken = 0;
    let reading: Promise<void> | null = null;
    const read = () =>
      (reading ??= deliveries
        .nextRecipients(this.#ctx, fanout, after, PAGE)
        .then((page) => {
          if (page.length < PAGE) exhausted = true;
          const last = page.at(-1);
          if (last) after = last.id;
          queue = head === queue.length ? page : queue.slice(head).concat(page);
          head = 0;
          this.#lastBeat = Date.now();
        })
        .finally(() => (reading = null)));
    const next = async (): Promise<Job | undefined> => {
      for (;;) {
        if (this.#stopping || taken >= BUDGET) return undefined;
        if (head < queue.length) {
          const recipient = queue[head++] as deliveries.Recipient;
          if (queue.length - head < sender.concurrency && !exhausted) void read().catch(() => undefined);
          taken++;
          progress.start(recipient.id);
          return { recipient, notification: fanout.notification, attempts: 1, deliveryId: null };
        }
        if (exhausted) return undefined;
        await read();
      }
    };
    let failed = true;
    try {
      await this.#pool(sender, next, async (job, outcome) => progress.settle(job.recipient.id, outcome === 'sent'));
      failed = false;
    } finally {
      await progress.close(!failed && exhausted && head === queue.length);
    }
    return taken;
  }

  /** Runs up to the sender's concurrency of sends at once, each recorded and measured. */
  async #pool(
    sender: ChannelSender,
    next: () => Promise<Job | undefined>,
    settled: (job: Job, outcome: SendOutcome) => Promise<void>,
  ): Promise<void> {
    const work = async () => {
      for (let job = await next(); job; job = await next()) {
        await this.#yieldIfBusy();
        const started = performance.now();
        let outcome: SendOutcome = 'sent';
        try {
          await sender.send(job.notification, job.recipient);
        } catch (error) {
          outcome = await deliveries.recordFailure(
            this.#ctx,
            this.#policy,
            {
              deliveryId: job.deliveryId,
              notificationId: job.notification.id,
              subscriberId: job.recipient.id,
              channel: sender.channel,
              attempts: job.attempts,
            },
            sender.classify(error),
          );
        }
        observeSend(sender.channel, outcome, (performance.now() - started) / 1000);
        await settled(job, outcome);
      }
    };
    // Every slot runs to its end before an error is passed on: no send is left unrecorded.
    const results = await Promise.allSettled(Array.from({ length: sender.concurrency }, work));
    const rejected = results.find((r) => r.status === 'rejected');
    if (rejected) throw rejected.reason;
  }

  /**
   * Gives the event loop back after a few milliseconds of sending: HTTP answers (the post that
   * started the fan-out among them) are not held up behind a run of synchronous work such as
   * fifty push encryptions.
   */
  async #yieldIfBusy(): Promise<void> {
    if (performance.now() - this.#sliceStartedAt < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.#sliceStartedAt = performance.now();
  }

  async #notification(id: number): Promise<Notification | undefined> {
    let notification = this.#notifications.get(id);
    if (!notification) {
      notification = await deliveries.notificationById(this.#ctx, id);
      if (notification) this.#notifications.set(id, notification);
      if (this.#notifications.size > 1000) this.#notifications.clear();
    }
    return notification;
  }

  /** Runs expansion and sending until nothing is due now (tests, benchmarks). */
  async drain(): Promise<void> {
    while ((await this.expand()) + (await this.sendDue()) > 0) {
      // keep going
    }
  }
}
