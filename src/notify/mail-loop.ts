import type { Logger } from '../logger.ts';
import type { ServiceContext } from '../services/context.ts';
import { dueMails, mailFailed, mailSent, nextMailDueAt } from '../services/transactional-mail.ts';
import { wordMail } from '../render/transactional-mail.ts';
import type { Mailer } from './mailer.ts';
import { Semaphore } from '../lib/semaphore.ts';
import { DueLoop } from './due-loop.ts';

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
  readonly #loop: DueLoop;
  // The loop and a drain() never send the same row twice: one pass at a time.
  readonly #pass = new Semaphore(1);

  constructor(ctx: ServiceContext, mailer: Mailer, options: { logger: Logger; retryBaseMs: number }) {
    this.#ctx = ctx;
    this.#mailer = mailer;
    this.#logger = options.logger;
    this.#retryBaseMs = options.retryBaseMs;
    this.#loop = new DueLoop({
      pass: () => this.sendDue(),
      nextDueAt: () => nextMailDueAt(this.#ctx),
      now: ctx.now,
      pollMs: 5_000,
      logger: options.logger,
      what: 'mail loop',
    });
  }

  start(): void {
    this.#loop.start();
  }

  wake(): void {
    this.#loop.wake();
  }

  /** Lets the mail under way go out, then stops. */
  stop(): Promise<void> {
    return this.#loop.stop();
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
}
