/**
 * The progress of one fan-out, recorded in batches: recipients are started in key order and
 * settle in any order; the recorded cursor is the last recipient before which every one has
 * settled. A crash repeats only what settled after the last record and what was in flight.
 */
export const SENT_BATCH = 16;
const SENT_DELAY_MS = 15;

type Record = (cursor: number, sent: number, finished: boolean) => Promise<void>;

export class FanoutProgress {
  #record: Record;
  #started: number[] = [];
  #head = 0;
  #settled = new Map<number, boolean>();
  #cursor: number;
  #recorded: number;
  #sent = 0;
  #unrecorded = 0;
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(record: Record, cursor: number) {
    this.#record = record;
    this.#cursor = cursor;
    this.#recorded = cursor;
  }

  /** Recipients are started in ascending key order. */
  start(id: number): void {
    this.#started.push(id);
  }

  /** A send finished: sent, or its failure recorded as a delivery row. */
  settle(id: number, sent: boolean): Promise<void> {
    this.#settled.set(id, sent);
    while (this.#head < this.#started.length) {
      const first = this.#started[this.#head] as number;
      const wasSent = this.#settled.get(first);
      if (wasSent === undefined) break;
      this.#settled.delete(first);
      this.#head++;
      this.#cursor = first;
      this.#unrecorded++;
      if (wasSent) this.#sent++;
    }
    if (this.#head > 256) {
      this.#started = this.#started.slice(this.#head);
      this.#head = 0;
    }
    if (this.#unrecorded >= SENT_BATCH) return this.#flush(false);
    if (this.#unrecorded > 0) this.#timer ??= setTimeout(() => void this.#flush(false), SENT_DELAY_MS);
    return Promise.resolve();
  }

  /** Records what is settled; `finished` when the whole audience has been walked. */
  close(finished: boolean): Promise<void> {
    return this.#flush(finished);
  }

  #flush(finished: boolean): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const cursor = this.#cursor;
    const sent = this.#sent;
    if (cursor === this.#recorded && sent === 0 && !finished) return this.#writing;
    this.#recorded = cursor;
    this.#sent = 0;
    this.#unrecorded = 0;
    this.#writing = this.#writing.then(() =>
      this.#record(cursor, sent, finished).catch(
        // Not recorded, these are sent again after the next restart: logged, not lost.
        (error: unknown) => console.error('[notify] could not record a fan-out’s progress', error),
      ),
    );
    return this.#writing;
  }
}
