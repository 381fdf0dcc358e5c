import { actions, middleware, pages, redirects, trailingSlash } from 'astro/hono';
import { Hono } from 'hono';
import { createApi } from './api/app.ts';
import { answerError } from './http/error-page.ts';
import { heraldRuntime } from './boot.ts';
import { createNodeFastPath, FAST_PATH_KEY } from './publishing/node-fast-path.ts';
import { publishBarrier } from './publishing/publish-barrier.ts';
import { languagePrefixes } from './publishing/page-language.ts';
import { RenderPool, serverEntry } from './publishing/render-pool.ts';
import { isRenderWorker, serveRenders } from './publishing/render-worker.ts';
import { createRequestLog, REQUEST_LOG_KEY } from './http/request-log.ts';
import { LOGGER_KEY } from './logger.ts';

// Astro 7's request entrypoint: security headers, the public site cache and the APIs first,
// then Astro's own pipeline renders the pages (on a cache miss, once per change).
const runtime = await heraldRuntime();

const app = new Hono();
app.onError(answerError);
// A write answers once the pages it changed are rendered again; readers never wait for it.
app.use(publishBarrier(runtime.siteCache));
app.route('/', createApi(runtime));
// `/de/…` is the page at `/…` in German: its own cache entry, the same Astro page.
app.use(languagePrefixes(runtime.siteCache.renderSecret, (request) => app.fetch(request)));
app.use(trailingSlash());
app.use(redirects());
app.use(actions());
app.use(middleware());
app.use(pages());

if (isRenderWorker()) {
  // This bundle, loaded again in a render thread: it renders for the main thread, nothing else.
  serveRenders(app, runtime.siteCache.renderSecret);
} else {
  const inProcess = (request: Request) => Promise.resolve(app.fetch(request));
  const threads = runtime.config.renderThreads;
  const entry = serverEntry(import.meta.url);
  if (threads > 0 && entry) {
    const log = runtime.logger;
    const pool = new RenderPool({
      entry,
      threads,
      timeoutMs: 10_000,
      fallback: inProcess,
      log: (level, message) => log[level](message),
    });
    runtime.siteCache.setRenderer(pool.render, () => pool.close());
    log.info(`rendering public pages in ${threads} worker thread(s)`);
  } else {
    runtime.siteCache.setRenderer(inProcess);
  }
  // The front server (scripts/start.mjs) answers cache hits before Astro's adapter is involved.
  Reflect.set(globalThis, FAST_PATH_KEY, createNodeFastPath(runtime.siteCache));
  Reflect.set(globalThis, LOGGER_KEY, runtime.logger);
  Reflect.set(globalThis, REQUEST_LOG_KEY, createRequestLog(runtime.logger));
  // Visitors arriving right after a (re)start find the home page already rendered.
  runtime.siteCache.invalidate([], ['/', '/api/v2/summary.json']);
}

export default app;
