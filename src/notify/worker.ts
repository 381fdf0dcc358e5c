import * as outbox from '../db/outbox-repo.ts';
import type { Notification, Subscriber } from '../db/schema.ts';
import type { ServiceContext } from '../services/context.ts';
import type { ChannelSender } from './channel.ts';

export type WorkerOptions = {
  retryBaseMs: number;
  maxAttempts?: number;
  /** Hard bounces after which a subscriber is disabled. */
  bounceLimit?: number;
  pollMs?: number;
};

const EXPAND_BATCH = 2000;

/**
 * Turns notifications into deliveries and sends them, in the server's own process. Each
 * delivery's outcome is written as soon as it is known, so a crash can only repeat the sends
 * that were under way at that instant.
 */
export class NotificationWorker {
  #ctx: ServiceContext;
  #senders: Map<string, ChannelSender>;
  #options: Required<WorkerOptions>;
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  #wake: (() => void) | null = null;
  #woken = false;
  #notifications = new Map<number, Notification>();
  #sent: SentLog;
  #lastBeat = 0;
  #stopping = false;

  constructor(ctx: ServiceContext, senders: ChannelSender[], options: WorkerOptions) {
    this.#ctx = ctx;
    this.#senders = new Map(senders.map((s) => [s.channel, s]));
    this.#options = { maxAttempts: 12, bounceLimit: 3, pollMs: 1000, ...options };
    this.#sent = new SentLog(ctx);
  }

  async start(): Promise<void> {
    const released = await outbox.releaseInterrupted(this.#ctx.db);
    if (released > 0) console.log(`[notify] ${released} deliveries were being sent when Herald stopped; sending them again`);
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Called after each committed write, so a new notification does not wait for the next poll. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
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
      this.#woken = false;
      this.#lastBeat = Date.now();
      let busy = false;
      try {
        busy = (await this.expand()) > 0;
        busy = (await this.sendDue()) > 0 || busy;
      } catch (error) {
        console.error('[notify]', error);
      }
      if (!busy && this.#running && !this.#woken) await this.#sleep();
    }
  }

  async #sleep(): Promise<void> {
    const channels = [...this.#senders.keys()] as Array<Subscriber['channel']>;
    const next = await outbox.nextDueAt(this.#ctx.db, channels);
    const untilDue = next ? Date.parse(next) - this.#ctx.now().getTime() : Infinity;
    const ms = Math.max(5, Math.min(this.#options.pollMs, untilDue));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = null;
  }

  /** Expands pending notifications into deliveries, a batch of subscribers per transaction. */
  async expand(): Promise<number> {
    let created = 0;
    for (const notification of await outbox.unexpandedNotifications(this.#ctx.db)) {
      for (;;) {
        const done = await this.#ctx.db.transaction().execute(async (trx) => {
          const fresh = await trx.selectFrom('notifications').selectAll().where('id', '=', notification.id).executeTakeFirst();
          if (!fresh || fresh.expanded_at) return true;
          const audience = await outbox.audienceAfter(trx, fresh, EXPAND_BATCH);
          const now = this.#ctx.now().toISOString();
          if (audience.length > 0) {
            await trx
              .insertInto('deliveries')
              .values(audience.map((s) => ({ notification_id: fresh.id, subscriber_id: s.id, channel: s.channel, state: 'pending' as const, next_attempt_at: now })))
              .onConflict((oc) => oc.doNothing())
              .execute();
            created += audience.length;
          }
          const last = audience.at(-1)?.id ?? fresh.expand_cursor;
          const finished = audience.length < EXPAND_BATCH;
          await trx
            .updateTable('notifications')
            .set({ expand_cursor: last, ...(finished ? { expanded_at: now } : {}) })
            .where('id', '=', fresh.id)
            .execute();
          return finished;
        });
        if (done) break;
        // better-sqlite3 answers synchronously: without this, a large expansion would run in
        // microtasks only and hold every HTTP answer (the post that caused it too) until done.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return created;
  }

  /** Claims and sends what is due on every channel; resolves when that batch is settled. */
  async sendDue(): Promise<number> {
    const results = await Promise.all([...this.#senders.values()].map((sender) => this.#sendChannel(sender)));
    return results.reduce((a, b) => a + b, 0);
  }

  async #sendChannel(sender: ChannelSender): Promise<number> {
    const db = this.#ctx.db;
    const claimed = await outbox.claimDue(db, [sender.channel], this.#ctx.now().toISOString(), sender.concurrency * 50);
    if (claimed.length === 0) return 0;
    const subscribers = new Map(
      (await db.selectFrom('subscribers').selectAll().where('id', 'in', [...new Set(claimed.map((d) => d.subscriber_id))]).execute()).map((s) => [s.id, s]),
    );
    const queue = [...claimed];
    const work = async () => {
      const next = () => (this.#stopping ? undefined : queue.shift());
      for (let delivery = next(); delivery; delivery = next()) {
        const subscriber = subscribers.get(delivery.subscriber_id);
        const notification = await this.#notification(delivery.notification_id);
        if (!subscriber || !notification) {
          await db.deleteFrom('deliveries').where('id', '=', delivery.id).execute();
          continue;
        }
        try {
          await sender.send(notification, subscriber);
          await this.#sent.add(delivery.id);
        } catch (error) {
          await this.#failed(sender, delivery, subscriber, error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(sender.concurrency, claimed.length) }, work));
    await this.#sent.flush();
    if (queue.length > 0) await outbox.releaseClaimed(db, queue.map((d) => d.id));
    await new Promise((resolve) => setImmediate(resolve));
    return claimed.length;
  }

  async #failed(sender: ChannelSender, delivery: outbox.ClaimedDelivery, subscriber: Subscriber, error: unknown): Promise<void> {
    const failure = sender.classify(error);
    const now = this.#ctx.now();
    await this.#ctx.db.transaction().execute(async (trx) => {
      if (failure.gone) {
        await trx.deleteFrom('subscribers').where('id', '=', subscriber.id).execute();
        return;
      }
      if (failure.permanent || delivery.attempts >= this.#options.maxAttempts) {
        await trx.updateTable('deliveries').set({ state: 'failed', last_error: failure.message }).where('id', '=', delivery.id).execute();
        if (failure.permanent) {
          const bounces = subscriber.bounce_count + 1;
          await trx
            .updateTable('subscribers')
            .set({ bounce_count: bounces, ...(bounces >= this.#options.bounceLimit ? { disabled_at: now.toISOString() } : {}) })
            .where('id', '=', subscriber.id)
            .execute();
          subscriber.bounce_count = bounces;
        }
        return;
      }
      const delay = failure.retryAfterMs ?? backoff(this.#options.retryBaseMs, delivery.attempts);
      await trx
        .updateTable('deliveries')
        .set({ state: 'pending', last_error: failure.message, next_attempt_at: new Date(now.getTime() + delay).toISOString() })
        .where('id', '=', delivery.id)
        .execute();
    });
  }

  async #notification(id: number): Promise<Notification | undefined> {
    let notification = this.#notifications.get(id);
    if (!notification) {
      notification = await this.#ctx.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
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

/**
 * Records sent deliveries in small batches (at most SENT_BATCH, or SENT_DELAY_MS apart): one
 * transaction for many rows instead of one commit per mail. A crash can repeat only the mails of
 * the batch not yet written, each at most once.
 */
export const SENT_BATCH = 32;
const SENT_DELAY_MS = 15;

class SentLog {
  #ctx: ServiceContext;
  #ids: number[] = [];
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  add(id: number): Promise<void> {
    this.#ids.push(id);
    if (this.#ids.length >= SENT_BATCH) return this.flush();
    this.#timer ??= setTimeout(() => void this.flush(), SENT_DELAY_MS);
    return Promise.resolve();
  }

  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const ids = this.#ids;
    this.#ids = [];
    if (ids.length > 0) {
      const at = this.#ctx.now().toISOString();
      this.#writing = this.#writing.then(() =>
        this.#ctx.db
          .updateTable('deliveries')
          .set({ state: 'sent', sent_at: at, last_error: null })
          .where('id', 'in', ids)
          .execute()
          .then(
            () => undefined,
            // Left 'sending', these are sent again after the next restart: logged, not lost.
            (error: unknown) => console.error('[notify] could not record sent deliveries', error),
          ),
      );
    }
    return this.#writing;
  }
}

/** Exponential backoff with ±50 % jitter, capped at an hour, so retries do not stampede. */
export function backoff(baseMs: number, attempt: number): number {
  const exponential = Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + Math.random()));
}
