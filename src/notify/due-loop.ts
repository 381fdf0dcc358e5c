import type { Logger } from '../logger.ts';
import { Doze } from '../lib/doze.ts';

/**
 * The loop of a queue of rows due at a time (transactional mail, stakeholder messages): a pass
 * sends what is due; with nothing sent it sleeps until the next row is due, a wake-up after a
 * commit, or the poll, whichever comes first. Stopping lets the pass under way finish.
 */
export class DueLoop {
  readonly #doze = new Doze();
  readonly #pass: () => Promise<number>;
  readonly #nextDueAt: () => Promise<string | null>;
  readonly #now: () => Date;
  readonly #pollMs: number;
  readonly #logger: Logger;
  readonly #what: string;
  #running = false;
  #loop: Promise<void> = Promise.resolve();

  constructor(options: {
    /** Sends what is due; returns how many rows it took. */
    pass: () => Promise<number>;
    nextDueAt: () => Promise<string | null>;
    now: () => Date;
    pollMs: number;
    logger: Logger;
    /** Named in the log when a pass fails. */
    what: string;
  }) {
    this.#pass = options.pass;
    this.#nextDueAt = options.nextDueAt;
    this.#now = options.now;
    this.#pollMs = options.pollMs;
    this.#logger = options.logger;
    this.#what = options.what;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  wake(): void {
    this.#doze.wake();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#doze.reset();
      let taken = 0;
      try {
        taken = await this.#pass();
      } catch (error) {
        this.#logger.error({ err: error }, `${this.#what} pass failed`);
      }
      if (taken === 0 && this.#running) {
        const next = await this.#nextDueAt().catch(() => null);
        const untilDue = next ? Date.parse(next) - this.#now().getTime() : Infinity;
        await this.#doze.sleep(Math.max(5, Math.min(this.#pollMs, untilDue)));
      }
    }
  }
}
