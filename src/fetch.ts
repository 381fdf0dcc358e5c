import { actions, middleware, pages, redirects, trailingSlash } from 'astro/hono';
import { Hono } from 'hono';
import { createApi } from './api/app.ts';
import { answerError } from './http/error-page.ts';
import { heraldRuntime } from './boot.ts';
import { createNodeFastPath, FAST_PATH_KEY } from './publishing/node-fast-path.ts';
import { createRequestLog, REQUEST_LOG_KEY } from './http/request-log.ts';
import { LOGGER_KEY } from './logger.ts';

// Astro 7's request entrypoint: security headers, the public site cache and the APIs first,
// then Astro's own pipeline renders the pages (on a cache miss, once per change).
const runtime = await heraldRuntime();

const app = new Hono();
app.onError(answerError);
app.route('/', createApi(runtime));
app.use(trailingSlash());
app.use(redirects());
app.use(actions());
app.use(middleware());
app.use(pages());

runtime.siteCache.setRenderer((request) => Promise.resolve(app.fetch(request)));
// The front server (scripts/start.mjs) answers cache hits before Astro's adapter is involved.
Reflect.set(globalThis, FAST_PATH_KEY, createNodeFastPath(runtime.siteCache));
Reflect.set(globalThis, LOGGER_KEY, runtime.logger);
Reflect.set(globalThis, REQUEST_LOG_KEY, createRequestLog(runtime.logger));
// Visitors arriving right after a (re)start find the home page already rendered.
runtime.siteCache.invalidate([], ['/', '/api/v2/summary.json']);

export default app;
