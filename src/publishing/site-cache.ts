import { type LanguagePolicy, NO_REDIRECT } from './language-redirect.ts';
import { createHash, randomBytes } from 'node:crypto';
import { CACHE_TAGS_HEADER, readCacheTags } from './cache-tags.ts';
import { type Encodings, pickEncoding, precompress } from './compress.ts';

export type CachedPage = {
  key: string;
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  encodings: Encodings;
  etag: string;
  lastModified: string;
  tags: ReadonlySet<string>;
  hits: number;
  /** When the key was last read (performance.now()), carried from version to version. */
  readAt: number;
  /** The cache's invalidation count when its render began: it shows every write published before. */
  version: number;
};

/** Marks the cache's own render requests (see src/publishing/cache-middleware.ts). */
export const RENDER_HEADER = 'x-herald-render';

/**
 * A render's outcome as plain data: what a render worker posts back, or a Response read in
 * process. `page` is set when the content may be kept (tagged, 200 or 404, no cookie), with its
 * encodings and ETag computed where it was rendered, so the serving thread only stores bytes.
 */
export type Rendered = {
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  /** `unchanged`: the same bytes as the version kept (its ETag was passed in); body and encodings left out. */
  page?: { tags: string[]; encodings: Encodings; etag: string; unchanged?: boolean };
};

/** On the cache's render requests: the ETag of the version kept, so unchanged bytes are not compressed again. */
export const KEPT_ETAG_HEADER = 'x-herald-kept-etag';

/** On the cache's render requests: `low` when nobody read the page since its last render (warming only). */
export const RENDER_PRIORITY_HEADER = 'x-herald-render-priority';

/** `begins` is called when the render really starts, if that is later than the call (a queue). */
export type Renderer = (request: Request, begins?: () => void) => Promise<Response | Rendered>;

/** Where the cache reports renders that failed or timed out (the previous version stays). */
export type CacheLog = (details: { key: string; reason: string }, message: string) => void;

/** Fit for a CDN in front: short freshness, and stale content beats an error when we are down. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=60, stale-if-error=86400';

const STORED_STATUSES = new Set([200, 404]);
const DROPPED_HEADERS = new Set([
  CACHE_TAGS_HEADER,
  'set-cookie',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'etag',
  'last-modified',
  'cache-control',
  'vary',
  'date',
  'connection',
  'keep-alive',
]);

/**
 * Reads a rendered Response out: buffered, and precompressed when it may be kept, unless the
 * bytes are those of the version kept (`keptEtag`): most writes change only some of the pages.
 */
export async function readRendered(response: Response, keptEtag: string | null = null): Promise<Rendered> {
  const body = new Uint8Array(await response.arrayBuffer());
  // Untagged content could never be invalidated, so it is served but not kept.
  if (
    !STORED_STATUSES.has(response.status) ||
    response.headers.has('set-cookie') ||
    !response.headers.has(CACHE_TAGS_HEADER)
  ) {
    return { status: response.status, headers: [...response.headers], body };
  }
  const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
  const headers = [...response.headers].filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase()));
  const tags = readCacheTags(response.headers);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  if (etag === keptEtag)
    return {
      status: response.status,
      headers,
      body: new Uint8Array(0),
      page: { tags, encodings: {}, etag, unchanged: true },
    };
  return { status: response.status, headers, body, page: { tags, encodings: precompress(body, contentType), etag } };
}

/** One render of a key: the page it stored, or an answer not kept, or why it failed. */
type Attempt = { version: number; page?: CachedPage; rendered?: Rendered; error?: unknown };
type Waiter = { version: number; reader: boolean; resolve: (attempt: Attempt) => void };
type Slot = {
  running: Promise<Attempt> | null;
  timer: NodeJS.Timeout | null;
  /** When `timer` fires (performance.now()). */
  due: number;
  retry: NodeJS.Timeout | null;
  lastStart: number;
  failures: number;
  waiters: Waiter[];
};

export type SiteCacheOptions = {
  render: Renderer;
  origin: string;
  maxEntries?: number;
  /** A key is rendered at most once per window, however many writes touched it (25 ms). */
  windowMs?: number;
  /** A render taking longer is abandoned: the previous version stays (10 s). */
  timeoutMs?: number;
  /** How long a due render waits for writes in flight to land in it (20 ms). */
  gatherMs?: number;
  /** A key read this recently is in use: served stale while it re-renders, and writers wait for it (2 s). */
  inUseMs?: number;
  log?: CacheLog;
};

/**
 * Public pages and documents, rendered once per change of what they show, kept precompressed
 * with an ETag. A write marks the entries showing its tags stale: the ones people read are
 * rendered again (at most once per window per key, never twice at once) while the previous,
 * complete version goes on being served; the new bytes replace it in one step. Entries nobody
 * reads are dropped instead, and rendered on the next visit. See "The render path" in
 * docs/architecture.md.
 */
export class SiteCache {
  #entries = new Map<string, CachedPage>();
  #slots = new Map<string, Slot>();
  #version = 0;
  #invalidatedAt = new Map<string, number>();
  #outstanding = new Map<number, Promise<void>>();
  #render: Renderer;
  #closeRenderer: (() => Promise<void>) | undefined;
  #origin: string;
  #maxEntries: number;
  #windowMs: number;
  #timeoutMs: number;
  #inUseMs: number;
  #gatherMs: number;
  #writing = 0;
  #held = new Map<Slot, string>();
  #log: CacheLog;
  #closed = false;
  renders = 0;
  /** Marks the cache's own render requests; random per process so no visitor can forge one. */
  readonly renderSecret = randomBytes(18).toString('base64url');
  /** Whether `/` redirects by Accept-Language (settings); the front server and the middleware read it. */
  languagePolicy: LanguagePolicy = NO_REDIRECT;

  constructor(options: SiteCacheOptions) {
    this.#render = options.render;
    this.#origin = options.origin;
    this.#maxEntries = options.maxEntries ?? 5000;
    this.#windowMs = options.windowMs ?? 25;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#inUseMs = options.inUseMs ?? 2000;
    this.#gatherMs = options.gatherMs ?? 20;
    this.#log = options.log ?? ((details, message) => console.error(`[site-cache] ${message}`, details));
  }

  /** Set by the composition root once the whole app (or the render pool) exists. */
  setRenderer(render: Renderer, close?: () => Promise<void>): void {
    this.#render = render;
    this.#closeRenderer = close;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** How many invalidations so far: a write's publish moves it on. */
  get version(): number {
    return this.#version;
  }

  /** Keys whose cached page is current (not waiting to be rendered again). */
  keys(): string[] {
    return [...this.#entries.values()].filter((page) => !this.#stale(page)).map((page) => page.key);
  }

  /**
   * The cached page if there is one, without rendering: the front server's fast path. While a
   * write's re-render is under way this is the previous version, complete; readers never wait.
   */
  peek(key: string): CachedPage | undefined {
    const page = this.#entries.get(key);
    // A stale page nobody is reading is not one readers rely on, and no writer waits for its
    // re-render: its next reader waits for the new version instead (lookup).
    if (!page || (this.#stale(page) && !this.#inUse(page))) return undefined;
    this.#read(page);
    return page;
  }

  /**
   * The current page for a key, rendering it if needed (once, however many ask). `hit` says
   * whether it was there and current. Unlike peek, a stale entry is waited for: this is the
   * path of cache misses and of the in-process tests, which read their own writes. A Response
   * is an answer that is not kept (an error); a failed render leaves the previous version.
   */
  async lookup(key: string): Promise<{ page: CachedPage; hit: boolean } | Response> {
    const cached = this.#entries.get(key);
    if (cached && !this.#stale(cached)) {
      this.#read(cached);
      return { page: cached, hit: true };
    }
    const attempt = await this.#after(key, this.#version, !cached, true);
    const page = attempt.page ?? this.#entries.get(key);
    if (page) {
      this.#read(page);
      return { page, hit: false };
    }
    if (attempt.rendered)
      return new Response(attempt.rendered.body, {
        status: attempt.rendered.status,
        headers: attempt.rendered.headers,
      });
    throw attempt.error instanceof Error ? attempt.error : new Error(`rendering ${key} failed`);
  }

  /**
   * Marks every entry showing one of the tags stale (`*` is everything, `incident:*` every
   * permalink) and returns the keys it made stale. Those in use (read since their render or in
   * the last `inUseMs`) and the hot keys are rendered again; the rest are dropped.
   */
  invalidate(tags: Iterable<string>, hot: readonly string[] = []): string[] {
    const fresh = new Set([...this.#entries.values()].filter((page) => !this.#stale(page)).map((page) => page.key));
    const version = ++this.#version;
    for (const tag of new Set(tags)) this.#invalidatedAt.set(tag, version);
    const touched: string[] = [];
    const refresh = new Set<string>();
    const read = new Set<string>();
    const hotKeys = new Set(hot);
    for (const [key, page] of this.#entries) {
      if (this.#latest(page.tags) !== version) continue;
      if (fresh.has(key)) touched.push(key);
      if (this.#inUse(page)) read.add(key);
      if (read.has(key) || hotKeys.has(key)) refresh.add(key);
      else this.#entries.delete(key);
    }
    for (const key of hot) {
      const page = this.#entries.get(key);
      if (!page || this.#stale(page)) refresh.add(key);
    }
    if (this.#closed) return touched;
    // The pages being read first: a render thread takes its jobs in order.
    const order = [...refresh].sort((a, b) => Number(read.has(b)) - Number(read.has(a)));
    const renders = order.map((key) => [key, this.#after(key, version, false)] as const);
    // What a writer waits for (visible()): the pages being read, which peek serves while stale.
    const awaited = renders.filter(([key]) => read.has(key)).map(([, promise]) => promise);
    if (awaited.length > 0) {
      const done = Promise.all(awaited).then(() => {});
      this.#outstanding.set(version, done);
      void done.finally(() => this.#outstanding.delete(version));
    }
    return touched;
  }

  /**
   * Resolves once the re-renders of pages being read, asked for by invalidations up to `version`,
   * are done (or failed, leaving the previous version), or after `timeoutMs`: what a writer waits
   * for before its answer, so its next read shows its write.
   */
  async visible(version: number, timeoutMs = this.#timeoutMs): Promise<boolean> {
    const pending = [...this.#outstanding].filter(([v]) => v <= version).map(([, p]) => p);
    if (pending.length === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
    const result = await Promise.race([Promise.all(pending).then(() => true), timedOut]);
    clearTimeout(timer);
    return result;
  }

  /** Resolves when no render is scheduled or under way (tests, export). */
  async settled(): Promise<void> {
    for (;;) {
      const slots = [...this.#slots.values()];
      const pending = slots.flatMap((s) => (s.running ? [s.running] : []));
      if (pending.length > 0) await Promise.allSettled(pending);
      else if (slots.some((s) => s.timer)) await new Promise((resolve) => setTimeout(resolve, this.#windowMs));
      else return;
    }
  }

  /** No more renders (the database is about to close): waits for those under way. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#held.clear();
    for (const slot of this.#slots.values()) {
      if (slot.timer) clearTimeout(slot.timer);
      if (slot.retry) clearTimeout(slot.retry);
      slot.timer = slot.retry = null;
      if (!slot.running) this.#resolve(slot, { version: Infinity, error: new Error('the site cache is closing') });
    }
    await this.settled();
    await this.#closeRenderer?.();
  }

  #read(page: CachedPage): void {
    page.hits++;
    page.readAt = performance.now();
  }

  /** Read since its render, or lately: people are looking at this page. */
  #inUse(page: CachedPage): boolean {
    return page.hits > 0 || performance.now() - page.readAt < this.#inUseMs;
  }

  #stale(page: CachedPage): boolean {
    return this.#latest(page.tags) > page.version;
  }

  /** The last invalidation that touched any of these tags (-1 if none). */
  #latest(tags: Iterable<string>): number {
    let latest = this.#invalidatedAt.get('*') ?? -1;
    const allIncidents = this.#invalidatedAt.get('incident:*') ?? -1;
    for (const tag of tags) {
      latest = Math.max(latest, this.#invalidatedAt.get(tag) ?? -1);
      if (tag.startsWith('incident:')) latest = Math.max(latest, allIncidents);
    }
    return latest;
  }

  #slot(key: string): Slot {
    let slot = this.#slots.get(key);
    if (!slot) {
      slot = { running: null, timer: null, due: Infinity, retry: null, lastStart: -Infinity, failures: 0, waiters: [] };
      this.#slots.set(key, slot);
    }
    return slot;
  }

  /** Resolves with the first render of `key` that began at `version` or later. */
  #after(key: string, version: number, urgent: boolean, reader = false): Promise<Attempt> {
    const slot = this.#slot(key);
    const promise = new Promise<Attempt>((resolve) => slot.waiters.push({ version, reader, resolve }));
    if (this.#closed && !slot.running)
      this.#resolve(slot, { version: Infinity, error: new Error('the site cache is closing') });
    else this.#schedule(key, slot, urgent);
    return promise;
  }

  /**
   * At most one render per key at a time, and at most one start per window: the first write
   * after a quiet spell renders at once, a burst shares the next render. A miss (`urgent`: there
   * is nothing to serve meanwhile) does not wait for the window.
   */
  #schedule(key: string, slot: Slot, urgent: boolean): void {
    if (slot.running || slot.waiters.length === 0 || this.#closed) return;
    if (urgent) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      this.#held.delete(slot);
      this.#start(key, slot);
      return;
    }
    // Warming a page nobody is reading, and no reader waits for, can wait ten windows: until it
    // is read again it is not served stale, so this is only to spare its next reader the wait.
    const page = this.#entries.get(key);
    const eager = !page || this.#inUse(page) || slot.waiters.some((w) => w.reader);
    const now = performance.now();
    // A timer even at 0 ms: the write's own answer goes out before the render takes the CPU.
    const delay = Math.max(0, slot.lastStart + this.#windowMs * (eager ? 1 : 10) - now);
    if (slot.timer && (this.#held.has(slot) || slot.due <= now + delay)) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.due = now + delay;
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (this.#writing === 0) return this.#start(key, slot);
      // Writes under way would each need the next render: they land in this one instead, once
      // they are done or after `gatherMs`, whichever comes first.
      this.#held.set(slot, key);
      slot.timer = setTimeout(() => {
        this.#held.delete(slot);
        slot.timer = null;
        this.#start(key, slot);
      }, this.#gatherMs);
    }, delay);
  }

  /**
   * Marks a write under way (src/publishing/publish-barrier.ts); the returned function ends it.
   * Renders due meanwhile wait for the writes in flight (at most `gatherMs`), so that concurrent
   * writers share one render rather than each waiting for the next.
   */
  beginWrite(): () => void {
    this.#writing++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.#writing > 0) return;
      for (const [slot, key] of this.#held) {
        this.#held.delete(slot);
        if (slot.timer) clearTimeout(slot.timer);
        slot.timer = null;
        this.#start(key, slot);
      }
    };
  }

  #start(key: string, slot: Slot): void {
    if (slot.running || this.#closed) return;
    const version = this.#version;
    slot.lastStart = performance.now();
    const running = this.#attempt(key, version, slot);
    slot.running = running;
    void running.then((attempt) => {
      slot.running = null;
      this.#resolve(slot, attempt);
      if (slot.waiters.length > 0) this.#schedule(key, slot, false);
      else if (!slot.timer && !slot.retry && !this.#entries.has(key)) this.#slots.delete(key);
    });
  }

  #resolve(slot: Slot, attempt: Attempt): void {
    const done = slot.waiters.filter((w) => w.version <= attempt.version);
    slot.waiters = slot.waiters.filter((w) => w.version > attempt.version);
    for (const waiter of done) waiter.resolve(attempt);
  }

  async #attempt(key: string, dispatched: number, slot: Slot): Promise<Attempt> {
    this.renders++;
    const previous = this.#entries.get(key);
    // The data a render shows is as of when it really begins: a render thread may start it only
    // after the job ahead, and writes published meanwhile are in it.
    let version = dispatched;
    const begins = () => {
      version = this.#version;
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      const headers: Record<string, string> = { [RENDER_HEADER]: this.renderSecret };
      if (previous) headers[KEPT_ETAG_HEADER] = previous.etag;
      // Warming a page nobody read since its render waits behind pages people read.
      if (previous && !this.#inUse(previous)) headers[RENDER_PRIORITY_HEADER] = 'low';
      const request = new Request(new URL(key, this.#origin), { headers });
      const timedOut = new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`timed out after ${this.#timeoutMs} ms`)), this.#timeoutMs)),
      );
      const result = await Promise.race([this.#render(request, begins), timedOut]);
      const rendered =
        result instanceof Response
          ? await Promise.race([readRendered(result, previous?.etag ?? null), timedOut])
          : result;
      if (!rendered.page) {
        // An error keeps the previous version; content that may not be kept replaces it.
        if (rendered.status >= 500 && previous) throw new Error(`answered ${rendered.status}`);
        if (rendered.status < 500) this.#entries.delete(key);
        return { version, rendered };
      }
      // The same bytes as the version kept: its body, encodings and Last-Modified carry over.
      const same = rendered.page.unchanged ? this.#entries.get(key) : undefined;
      if (rendered.page.unchanged && same?.etag !== rendered.page.etag)
        throw new Error('the kept version changed during the render');
      const page: CachedPage = {
        key,
        status: rendered.status,
        headers: rendered.headers,
        body: same?.body ?? rendered.body,
        encodings: same?.encodings ?? rendered.page.encodings,
        etag: rendered.page.etag,
        lastModified: same?.lastModified ?? new Date().toUTCString(),
        tags: new Set(rendered.page.tags),
        hits: 0,
        readAt: (this.#entries.get(key) ?? previous)?.readAt ?? -Infinity,
        version,
      };
      slot.failures = 0;
      const overtaken = this.#latest(page.tags) > version;
      // A first render that a write overtook is served to whoever waited, not kept; a newer
      // version of a page already kept is kept, and rendered again after the window.
      if (overtaken && !this.#entries.has(key)) return { version, page };
      this.#store(page);
      if (overtaken) void this.#after(key, this.#version, false);
      return { version, page };
    } catch (error) {
      slot.failures++;
      const reason = error instanceof Error ? error.message : String(error);
      this.#log(
        { key, reason },
        `render of ${key} failed; ${previous ? 'the previous version stays' : 'nothing to serve'}`,
      );
      // Try again later while the kept page is stale, backing off up to 30 s.
      if (previous && this.#entries.get(key) === previous && !slot.retry && !this.#closed) {
        slot.retry = setTimeout(
          () => {
            slot.retry = null;
            const page = this.#entries.get(key);
            if (page && this.#stale(page)) void this.#after(key, this.#version, false);
          },
          Math.min(30_000, 1000 * 2 ** (slot.failures - 1)),
        );
        slot.retry.unref();
      }
      return { version, error };
    } finally {
      clearTimeout(timer);
    }
  }

  #store(page: CachedPage): void {
    this.#entries.delete(page.key);
    this.#entries.set(page.key, page);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}

/** What a request asks of a cached page; read from a Web Request or straight off Node's request. */
export type CacheQuery = {
  method: string;
  acceptEncoding: string | null;
  ifNoneMatch: string | null;
  ifModifiedSince: string | null;
};

export type CachedAnswer = { status: number; headers: Record<string, string>; body: Uint8Array<ArrayBuffer> | null };

/** The answer to a request from a cached page: conditional requests, encodings, HEAD. */
export function answerFromCache(
  page: CachedPage,
  query: CacheQuery,
  hit: boolean,
  extraHeaders: Record<string, string>,
): CachedAnswer {
  const encoding = pickEncoding(query.acceptEncoding, page.encodings);
  const headers: Record<string, string> = {
    ...Object.fromEntries(page.headers),
    ...extraHeaders,
    'x-cache': hit ? 'HIT' : 'MISS',
    'cache-control': PUBLIC_CACHE_CONTROL,
    'last-modified': page.lastModified,
    vary: extraHeaders.vary ?? 'Accept-Encoding',
    etag: encoding ? page.etag.replace(/"$/, `-${encoding}"`) : page.etag,
  };
  if (page.status === 200 && notModified(query, page)) return { status: 304, headers, body: null };
  const body = (encoding ? page.encodings[encoding] : page.body) ?? page.body;
  if (encoding) headers['content-encoding'] = encoding;
  headers['content-length'] = String(body.byteLength);
  return { status: page.status, headers, body: query.method === 'HEAD' ? null : body };
}

export function queryOf(request: Request): CacheQuery {
  return {
    method: request.method,
    acceptEncoding: request.headers.get('accept-encoding'),
    ifNoneMatch: request.headers.get('if-none-match'),
    ifModifiedSince: request.headers.get('if-modified-since'),
  };
}

/** The same answer as a Web Response, for the Hono path (cache misses, tests). */
export function respondFromCache(page: CachedPage, request: Request, hit: boolean): Response {
  const answer = answerFromCache(page, queryOf(request), hit, {});
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

function notModified(query: CacheQuery, page: CachedPage): boolean {
  if (query.ifNoneMatch !== null) {
    const base = page.etag.slice(1, -1);
    return query.ifNoneMatch
      .split(',')
      .slice(0, 50)
      .map((t) =>
        t
          .trim()
          .replace(/^W\//, '')
          .replace(/^"|"$/g, '')
          .replace(/-(br|gzip)$/, ''),
      )
      .some((t) => t === base || t === '*');
  }
  if (query.ifModifiedSince === null) return false;
  const time = Date.parse(query.ifModifiedSince);
  return Number.isFinite(time) && Date.parse(page.lastModified) <= time;
}
