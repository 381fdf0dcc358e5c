import type { Logger } from '../logger.ts';
import type { ServiceContext } from '../services/context.ts';
import { dueMails, mailFailed, mailSent, nextMailDueAt } from '../services/transactional-mail.ts';
import { wordMail } from '../render/transactional-mail.ts';
import type { Mailer } from './mailer.ts';
import { Semaphore } from '../lib/semaphore.ts';
import { Doze } from '../lib/doze.ts';

const BATCH = 20;

/**
 * Sends the mails use cases queued (confirmations, manage links, invitations), soon after the
 * transaction that queued them commits. Beside the notification worker, not inside it: these are
 * one mail to one person who is waiting for it, never a fan-out.
 */
export class MailLoop {
  readonly #ctx: ServiceContext;
  readonly #mailer: Mailer;
  readonly #logger: Logger;
  readonly #retryBaseMs: number;
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  readonly #doze = new Doze();
  // The loop and a drain() never send the same row twice: one pass at a time.
  readonly #pass = new Semaphore(1);

  constructor(ctx: ServiceContext, mailer: Mailer, options: { logger: Logger; retryBaseMs: number }) {
    this.#ctx = ctx;
    this.#mailer = mailer;
    this.#logger = options.logger;
    this.#retryBaseMs = options.retryBaseMs;
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  wake(): void {
    this.#doze.wake();
  }

  /** Lets the mail under way go out, then stops. */
  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
  }

  /** Sends everything due now (tests; the loop does the same on its own). */
  async drain(): Promise<void> {
    while ((await this.sendDue()) > 0);
  }

  sendDue(): Promise<number> {
    return this.#pass.run(() => this.#sendBatch());
  }

  async #sendBatch(): Promise<number> {
    const due = await dueMails(this.#ctx, BATCH);
    for (const mail of due) {
      if (!mail.view) {
        await mailSent(this.#ctx, mail.id);
        continue;
      }
      const worded = wordMail(mail.view);
      try {
        await this.#mailer.send(worded);
        await mailSent(this.#ctx, mail.id);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.#logger.warn(
          { to: worded.to, kind: mail.view.kind, attempt: mail.attempts + 1 },
          `could not send a mail: ${reason}`,
        );
        await mailFailed(
          this.#ctx,
          { id: mail.id, attempts: mail.attempts, to: worded.to, kind: mail.view.kind },
          reason,
          this.#retryBaseMs,
        );
      }
    }
    return due.length;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#doze.reset();
      let sent = 0;
      try {
        sent = await this.sendDue();
      } catch (error) {
        this.#logger.error({ err: error }, 'mail loop pass failed');
      }
      if (sent === 0 && this.#running) await this.#sleep();
    }
  }

  async #sleep(): Promise<void> {
    const next = await nextMailDueAt(this.#ctx).catch(() => null);
    const untilDue = next ? Date.parse(next) - this.#ctx.now().getTime() : Infinity;
    const ms = Math.max(5, Math.min(5_000, untilDue));
    await this.#doze.sleep(ms);
  }
}
