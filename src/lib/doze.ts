/**
 * The idle wait of a polling loop: sleeps until a time-out or a wake(), whichever comes first,
 * and does not fall asleep at all if woken since the loop last called reset().
 */
export class Doze {
  #woken = false;
  #wake: (() => void) | null = null;

  /** At the top of each pass: wakes from now on concern the next sleep. */
  reset(): void {
    this.#woken = false;
  }

  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  async sleep(ms: number): Promise<void> {
    if (this.#woken) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = null;
  }
}
