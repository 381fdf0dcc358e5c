import { Worker } from 'node:worker_threads';

export type ScryptJob = {
  password: string;
  salt: Buffer;
  keyLength: number;
  N: number;
  r: number;
  p: number;
  maxmem: number;
};

// Plain JavaScript evaluated in the thread, so it needs no bundling of its own.
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
// Below the serving thread (nice +10, Linux gives each thread its own): a flood of sign-ins
// takes spare CPU, not the readers'. Without /proc the thread simply shares the CPU evenly.
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) require('node:os').setPriority(tid, 10);
} catch {}
parentPort.on('message', ({ id, job }) => {
  try {
    const key = scryptSync(job.password, Buffer.from(job.salt), job.keyLength, { N: job.N, r: job.r, p: job.p, maxmem: job.maxmem });
    parentPort.postMessage({ id, key });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

type Reply = { id: number; key?: Uint8Array; error?: string };

/**
 * One thread of its own that runs every password hash, one after another. Off the event loop
 * and out of libuv's pool (which compression and file access share), and one thread means one
 * malloc arena: a flood of sign-ins costs one hash's memory, not one per pool thread.
 */
/**
 * An idle thread is stopped after this long: its isolate and the hash's memory (about 20 MB) are
 * given back between sign-ins instead of held for the life of the server; starting it again
 * costs a few milliseconds against a hash's hundred.
 */
const IDLE_MS = 10_000;

export type HashingThreadOptions = { idleMs?: number };

export class HashingThread {
  #worker: Worker | null = null;
  #idle: NodeJS.Timeout | undefined;
  readonly #idleMs: number;

  constructor(options: HashingThreadOptions = {}) {
    this.#idleMs = options.idleMs ?? IDLE_MS;
  }

  /** Whether the thread is running (it is stopped when idle). */
  get running(): boolean {
    return this.#worker !== null;
  }
  #nextId = 0;
  readonly #pending = new Map<number, { resolve: (key: Buffer) => void; reject: (error: Error) => void }>();

  derive(job: ScryptJob): Promise<Buffer> {
    clearTimeout(this.#idle);
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage({ id, job });
    });
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(THREAD_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', ({ id, key, error }: Reply) => {
      const pending = this.#pending.get(id);
      this.#pending.delete(id);
      // An idle hashing thread must not keep the process alive, nor its memory for long.
      if (this.#pending.size === 0) {
        worker.unref();
        this.#idle = setTimeout(() => this.#stop(worker), this.#idleMs);
        this.#idle.unref();
      }
      if (!pending) return;
      if (key) pending.resolve(Buffer.from(key));
      else pending.reject(new Error(error ?? 'scrypt failed'));
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', () => {
      if (this.#worker === worker) this.#fail(new Error('the hashing thread stopped'));
    });
    this.#worker = worker;
    return worker;
  }

  #stop(worker: Worker): void {
    if (this.#worker !== worker || this.#pending.size > 0) return;
    this.#worker = null;
    void worker.terminate();
  }

  #fail(error: Error): void {
    this.#worker = null;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
