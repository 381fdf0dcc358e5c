import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { type Rendered, readRendered, RENDER_HEADER } from './site-cache.ts';

/** What a render worker is asked: one public URL. */
export type RenderJob = { id: number; url: string; keptEtag: string | null };

/** What it answers: the rendered bytes with their encodings, or why it could not. */
export type RenderReply = { id: number; rendered?: Rendered; error?: string } | { ready: true };

/**
 * True inside a render worker (src/publishing/render-pool.ts): the same server bundle, loaded in
 * a worker thread that serves renders to the main thread and nothing else: no HTTP server, no
 * notification worker, no scheduler, no migrations, no setup link.
 */
export function isRenderWorker(): boolean {
  return !isMainThread && (workerData as { heraldRender?: unknown } | null)?.heraldRender === true;
}

type App = { fetch: (request: Request) => Response | Promise<Response> };

/**
 * Answers the main thread's render jobs with the full app (Astro pages and documents). The
 * bytes are compressed here, so the serving thread only stores what it gets.
 */
export function serveRenders(app: App, renderSecret: string): void {
  const port = parentPort;
  if (!port) throw new Error('serveRenders runs in a render worker only');
  yieldToServing();
  // One job at a time, in the order asked: the database calls are synchronous, so interleaving
  // jobs would only make the first (the pages being read are asked first) finish later.
  let queue = Promise.resolve();
  port.on('message', (job: RenderJob) => {
    queue = queue.then(async () => {
      try {
        const response = await app.fetch(new Request(job.url, { headers: { [RENDER_HEADER]: renderSecret } }));
        const rendered = await readRendered(response, job.keptEtag);
        // Own copies of the compressed bytes (zlib may hand out views of a shared pool), so
        // every buffer can be moved to the main thread rather than copied again.
        const encodings = rendered.page
          ? Object.fromEntries(
              Object.entries(rendered.page.encodings).map(([name, bytes]) => [name, new Uint8Array(bytes)]),
            )
          : {};
        const reply: RenderReply = {
          id: job.id,
          rendered: rendered.page ? { ...rendered, page: { ...rendered.page, encodings } } : rendered,
        };
        port.postMessage(reply, [rendered.body.buffer, ...Object.values(encodings).map((bytes) => bytes.buffer)]);
      } catch (error) {
        port.postMessage({
          id: job.id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies RenderReply);
      }
    });
  });
  port.postMessage({ ready: true } satisfies RenderReply);
}

/**
 * A render thread runs below the serving thread (nice +10), so that on a busy machine a burst of
 * renders takes its CPU from spare time rather than from readers. At +5, bench:public's readers
 * lost 14 % of their throughput to a writer posting twice a second; at +10, 3–4 % (medians of 5
 * rounds), with publish p95 still under 70 ms. Linux gives each thread its own nice value;
 * elsewhere, or without /proc, renders simply share the CPU evenly.
 */
function yieldToServing(): void {
  let tid = NaN;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
  } catch {
    return; // no /proc: not Linux, nothing to lower
  }
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
}
