import { Hono } from 'hono';
import { actions, middleware, pages, redirects, sessions, trailingSlash } from 'astro/hono';
import { createApi } from './api/app.ts';
import { heraldRuntime } from './boot.ts';

// Astro 7's request entrypoint: the API first, then Astro's own pipeline for the pages.
const runtime = await heraldRuntime();

const app = new Hono();
app.route('/', createApi(runtime));
app.use(trailingSlash());
app.use(redirects());
app.use(sessions());
app.use(actions());
app.use(middleware());
app.use(pages());

export default app;
