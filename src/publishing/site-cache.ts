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
};

/** Marks the cache's own render requests (see src/publishing/cache-middleware.ts). */
export const RENDER_HEADER = 'x-herald-render';

/** An answer that is passed on but not kept (an error, or content without cache tags). */
type Uncached = { uncached: true; status: number; headers: [string, string][]; body: Uint8Array<ArrayBuffer> };

export type Renderer = (request: Request) => Promise<Response>;

/** Fit for a CDN in front: short freshness, and stale content beats an error when we are down. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=10, stale-while-revalidate=60, stale-if-error=86400';

const STORED_STATUSES = new Set([200, 404]);
const DROPPED_HEADERS = new Set([CACHE_TAGS_HEADER, 'set-cookie', 'content-length', 'content-encoding', 'transfer-encoding', 'etag', 'last-modified', 'cache-control', 'vary', 'date', 'connection', 'keep-alive']);

/**
 * Public pages and documents, rendered once per change of what they show. Each entry keeps its
 * bytes precompressed with an ETag; a write invalidates entries by tag (after its commit) and
 * the dropped hot entries are rendered again at once, so visitors do not wait for a render.
 */
export class SiteCache {
  #entries = new Map<string, CachedPage>();
  #inflight = new Map<string, { version: number; promise: Promise<CachedPage | Uncached> }>();
  #version = 0;
  #invalidatedAt = new Map<string, number>();
  #render: Renderer;
  #origin: string;
  #maxEntries: number;
  #warming: Promise<void> = Promise.resolve();
  #closed = false;
  renders = 0;
  /** Marks the cache's own render requests; random per process so no visitor can forge one. */
  readonly renderSecret = randomBytes(18).toString('base64url');

  constructor(options: { render: Renderer; origin: string; maxEntries?: number }) {
    this.#render = options.render;
    this.#origin = options.origin;
    this.#maxEntries = options.maxEntries ?? 5000;
  }

  /** Set by the composition root once the whole app exists (renders go through it). */
  setRenderer(render: Renderer): void {
    this.#render = render;
  }

  get size(): number {
    return this.#entries.size;
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /** The cached page if there is one, without rendering (the front server's fast path). */
  peek(key: string): CachedPage | undefined {
    const page = this.#entries.get(key);
    if (page) page.hits++;
    return page;
  }

  /**
   * The cached page for a key, rendering it (once, however many ask at the same time) if needed.
   * `hit` says whether it was already there; a Response is an answer that is not kept (an error).
   */
  async lookup(key: string): Promise<{ page: CachedPage; hit: boolean } | Response> {
    const cached = this.#entries.get(key);
    if (cached) {
      cached.hits++;
      return { page: cached, hit: true };
    }
    const result = await this.#renderOnce(key);
    if ('uncached' in result) return new Response(result.body, { status: result.status, headers: result.headers });
    result.hits++;
    return { page: result, hit: false };
  }

  #renderOnce(key: string): Promise<CachedPage | Uncached> {
    const running = this.#inflight.get(key);
    if (running && !this.#invalidatedSince(running.version, null)) return running.promise;
    const version = this.#version;
    const promise = this.#fill(key, version).finally(() => {
      if (this.#inflight.get(key)?.promise === promise) this.#inflight.delete(key);
    });
    this.#inflight.set(key, { version, promise });
    return promise;
  }

  async #fill(key: string, version: number): Promise<CachedPage | Uncached> {
    this.renders++;
    const response = await this.#render(new Request(new URL(key, this.#origin), { headers: { [RENDER_HEADER]: this.renderSecret } }));
    const body = new Uint8Array(await response.arrayBuffer());
    // Untagged content could never be invalidated, so it is served but not kept. Buffered, so
    // every request that waited on this render gets a body of its own.
    if (!STORED_STATUSES.has(response.status) || response.headers.has('set-cookie') || !response.headers.has(CACHE_TAGS_HEADER)) {
      return { uncached: true, status: response.status, headers: [...response.headers], body };
    }
    const tags = new Set(readCacheTags(response.headers));
    const headers = [...response.headers].filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase()));
    const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
    const page: CachedPage = {
      key,
      status: response.status,
      headers,
      body,
      encodings: precompress(body, contentType),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      lastModified: new Date().toUTCString(),
      tags,
      hits: 0,
    };
    // A write that landed while this rendered may not be in it: serve it this once, keep nothing.
    if (!this.#invalidatedSince(version, tags)) this.#store(page);
    return page;
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

  #invalidatedSince(version: number, tags: ReadonlySet<string> | null): boolean {
    if ((this.#invalidatedAt.get('*') ?? -1) >= version) return true;
    if (tags === null) return [...this.#invalidatedAt.values()].some((v) => v >= version);
    for (const tag of tags) {
      if ((this.#invalidatedAt.get(tag) ?? -1) >= version) return true;
      if (tag.startsWith('incident:') && (this.#invalidatedAt.get('incident:*') ?? -1) >= version) return true;
    }
    return false;
  }

  /**
   * Drops every entry showing one of the tags (`*` drops everything, `incident:*` every
   * permalink) before returning, then renders the hot ones again in the background.
   */
  invalidate(tags: Iterable<string>, hot: readonly string[] = []): string[] {
    const version = this.#version++;
    const set = new Set(tags);
    for (const tag of set) this.#invalidatedAt.set(tag, version);
    const everything = set.has('*');
    const allIncidents = set.has('incident:*');
    const dropped: string[] = [];
    const droppedHits = new Map<string, number>();
    for (const [key, page] of this.#entries) {
      const hit = everything || [...page.tags].some((t) => set.has(t) || (allIncidents && t.startsWith('incident:')));
      if (hit) {
        this.#entries.delete(key);
        dropped.push(key);
        droppedHits.set(key, page.hits);
      }
    }
    // Hot: the always-hot list and what visitors asked for since it was last rendered.
    const warm = [...new Set([...hot, ...dropped.filter((key) => (droppedHits.get(key) ?? 0) > 0)])];
    // After a macrotask: the write's own answer goes out before the renders take the CPU.
    this.#warming = this.#warming.then(() => new Promise((resolve) => setImmediate(resolve))).then(async () => {
      for (const key of warm) {
        if (this.#closed) return;
        if (this.#entries.has(key)) continue;
        try {
          await this.#renderOnce(key);
        } catch (error) {
          console.error(`[site-cache] warming ${key} failed`, error);
        }
      }
    });
    return dropped;
  }

  /** Resolves when the renders started by past invalidations are done (tests, export). */
  settled(): Promise<void> {
    return this.#warming;
  }

  /** No more warming (the database is about to close); waits for the renders under way. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#warming;
  }
}

/** What a request asks of a cached page; read from a Web Request or straight off Node's request. */
export type CacheQuery = { method: string; acceptEncoding: string | null; ifNoneMatch: string | null; ifModifiedSince: string | null };

export type CachedAnswer = { status: number; headers: Record<string, string>; body: Uint8Array<ArrayBuffer> | null };

/** The answer to a request from a cached page: conditional requests, encodings, HEAD. */
export function answerFromCache(page: CachedPage, query: CacheQuery, hit: boolean, extraHeaders: Record<string, string>): CachedAnswer {
  const encoding = pickEncoding(query.acceptEncoding, page.encodings);
  const headers: Record<string, string> = {
    ...Object.fromEntries(page.headers),
    ...extraHeaders,
    'x-cache': hit ? 'HIT' : 'MISS',
    'cache-control': PUBLIC_CACHE_CONTROL,
    'last-modified': page.lastModified,
    vary: 'Accept-Encoding',
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
      .map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, '').replace(/-(br|gzip)$/, ''))
      .some((t) => t === base || t === '*');
  }
  if (query.ifModifiedSince === null) return false;
  const time = Date.parse(query.ifModifiedSince);
  return Number.isFinite(time) && Date.parse(page.lastModified) <= time;
}
