/** At most `limit` holders at once; the rest wait their turn in order. */
export class Semaphore {
  readonly #limit: number;
  #held = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Waits for a place and answers the function that gives it back (call it exactly once). */
  async hold(): Promise<() => void> {
    if (this.#held >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      // The place passes straight to the next in line, so `held` never dips while some wait.
      if (next) next();
      else this.#held--;
    };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.hold();
    try {
      return await task();
    } finally {
      release();
    }
  }
}
