import { Worker } from 'node:worker_threads';
import type { RenderJob, RenderReply } from './render-worker.ts';
import { KEPT_ETAG_HEADER, type Rendered, type Renderer, RENDER_PRIORITY_HEADER } from './site-cache.ts';

/**
 * The built server's entry (dist/server/entry.mjs) that a render worker loads, found from the
 * bundle's own address; null when not running from a build (astro dev), which renders in process.
 */
export function serverEntry(moduleUrl: string): URL | null {
  return /\/dist\/server\/entry\.mjs$/.test(moduleUrl) ? new URL(moduleUrl) : null;
}

type Job = {
  message: RenderJob;
  url: string;
  resolve: (rendered: Rendered) => void;
  reject: (error: Error) => void;
  begins?: (() => void) | undefined;
  timer?: NodeJS.Timeout;
};
type Thread = { worker: Worker; job: Job | null; ready: boolean };

export type PoolLog = (level: 'info' | 'warn' | 'error', message: string) => void;

export type RenderPoolOptions = {
  entry: URL;
  threads: number;
  /** A render taking longer fails (the cache keeps the previous version) and its thread is replaced. */
  timeoutMs: number;
  /** Renders in the serving thread: used when the workers cannot start. */
  fallback: Renderer;
  log: PoolLog;
};

/**
 * Worker threads, each holding the whole built server, that render public pages for the site
 * cache while the main thread goes on serving cached bytes. A thread that crashes or hangs is
 * replaced; its jobs fail, and the cache keeps the previous versions of their pages.
 */
export class RenderPool {
  #threads: Thread[] = [];
  /** Waiting jobs: pages someone reads or waits for first, then warming of pages nobody read. */
  #high: Job[] = [];
  #low: Job[] = [];
  #options: RenderPoolOptions;
  #nextId = 1;
  #closed = false;
  #failedStarts = 0;
  #inProcess = false;

  constructor(options: RenderPoolOptions) {
    this.#options = options;
    for (let i = 0; i < options.threads; i++) this.#threads.push(this.#spawn());
  }

  render: Renderer = (request, begins) => {
    if (this.#inProcess || this.#closed) return this.#options.fallback(request, begins);
    return new Promise<Rendered>((resolve, reject) => {
      const message: RenderJob = {
        id: this.#nextId++,
        url: request.url,
        keptEtag: request.headers.get(KEPT_ETAG_HEADER),
      };
      const job: Job = { message, url: request.url, resolve, reject, begins };
      (request.headers.get(RENDER_PRIORITY_HEADER) === 'low' ? this.#low : this.#high).push(job);
      this.#pump();
    });
  };

  /** How many render threads are up (0 once it fell back to rendering in process). */
  get size(): number {
    return this.#inProcess ? 0 : this.#threads.length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const closing = new Error('the render pool is closing');
    for (const job of [...this.#high.splice(0), ...this.#low.splice(0)]) job.reject(closing);
    await Promise.all(this.#threads.map((t) => this.#stop(t, closing)));
  }

  /** One job in flight per thread, so the next job is always the most wanted one. */
  #pump(): void {
    for (const thread of this.#threads) {
      if (thread.job) continue;
      const job = this.#high.shift() ?? this.#low.shift();
      if (!job) return;
      thread.job = job;
      job.timer = setTimeout(() => {
        this.#options.log('warn', `render thread took over ${this.#options.timeoutMs} ms on ${job.url}; replacing it`);
        this.#replace(thread, new Error(`timed out after ${this.#options.timeoutMs} ms`));
      }, this.#options.timeoutMs);
      // Queued by the port until the worker has booted and listens.
      job.begins?.();
      thread.worker.postMessage(job.message);
    }
  }

  #spawn(): Thread {
    const worker = new Worker(this.#options.entry, {
      workerData: { heraldRender: true },
      env: { ...process.env, ASTRO_NODE_AUTOSTART: 'disabled', HERALD_SCHEDULER: 'false' },
      // A render is one page: a small young generation keeps the thread's heap from growing to
      // V8's defaults, which are sized for a busy main thread (the pool's cost is its memory).
      // 4 MB rather than 8 took 10 MB off the server's peak in bench:email at 100,000 (280 → 270)
      // with publish p95 still 54-64 ms in bench:public.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 128 },
    });
    const thread: Thread = { worker, job: null, ready: false };
    worker.on('message', (reply: RenderReply) => {
      if ('ready' in reply) {
        thread.ready = true;
        this.#failedStarts = 0;
        return;
      }
      const job = thread.job;
      if (!job || job.message.id !== reply.id) return;
      thread.job = null;
      clearTimeout(job.timer);
      if (reply.rendered) job.resolve(reply.rendered);
      else job.reject(new Error(reply.error ?? 'the render thread gave no answer'));
      this.#pump();
    });
    worker.on('error', (error) => this.#options.log('error', `render thread failed: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => {
      this.#failJob(thread, new Error(`the render thread exited (${code})`));
      if (this.#closed || !this.#threads.includes(thread)) return;
      if (!thread.ready) this.#failedStarts++;
      if (this.#failedStarts >= 3) {
        this.#options.log('error', 'render threads do not start; rendering in the main thread from now on');
        this.#inProcess = true;
        for (const job of [...this.#high.splice(0), ...this.#low.splice(0)]) job.reject(new Error('no render thread'));
        return;
      }
      this.#threads[this.#threads.indexOf(thread)] = this.#spawn();
      this.#pump();
    });
    worker.unref();
    return thread;
  }

  #replace(thread: Thread, reason: Error): void {
    const index = this.#threads.indexOf(thread);
    if (index === -1) return;
    if (!this.#closed) this.#threads[index] = this.#spawn();
    void this.#stop(thread, reason);
    this.#pump();
  }

  async #stop(thread: Thread, reason: Error): Promise<void> {
    this.#failJob(thread, reason);
    await thread.worker.terminate();
  }

  #failJob(thread: Thread, reason: Error): void {
    const job = thread.job;
    thread.job = null;
    if (!job) return;
    clearTimeout(job.timer);
    job.reject(reason);
  }
}
