import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { setCacheTags } from '../../../src/publishing/cache-tags.ts';
import { respondFromCache, SiteCache, type CachedPage } from '../../../src/publishing/site-cache.ts';

/** A renderer whose content changes with a version, counting its renders per path. */
function fakeSite() {
  const data = { version: 1, renders: new Map<string, number>(), gate: null as Promise<void> | null };
  const tagsOf: Record<string, string[]> = {
    '/': ['status'],
    '/incidents/abc': ['incident:abc'],
    '/history': ['history'],
    '/feed.atom': ['feeds'],
  };
  const render = async (request: Request) => {
    const path = new URL(request.url).pathname;
    data.renders.set(path, (data.renders.get(path) ?? 0) + 1);
    const version = data.version;
    if (data.gate) await data.gate;
    if (path === '/boom') return new Response('broken', { status: 500 });
    const headers = new Headers({ 'content-type': 'text/html; charset=utf-8' });
    const tags = tagsOf[path];
    if (tags) setCacheTags(headers, tags as never);
    return new Response(`<p>${path} v${version}</p>${'padding '.repeat(100)}`, { headers });
  };
  return { data, cache: new SiteCache({ render, origin: 'http://localhost' }) };
}

async function page(cache: SiteCache, key: string): Promise<CachedPage> {
  const result = await cache.lookup(key);
  if (result instanceof Response) throw new Error(`uncached ${result.status}`);
  return result.page;
}

const text = (p: CachedPage) => new TextDecoder().decode(p.body);

describe('the site cache', () => {
  it('renders a page once however many ask for it at the same time', async () => {
    const { data, cache } = fakeSite();
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.lookup('/')));
    expect(data.renders.get('/')).toBe(1);
    expect(results.filter((r) => !(r instanceof Response) && r.hit)).toHaveLength(0);
    await cache.lookup('/');
    expect(data.renders.get('/')).toBe(1);
  });

  it('drops exactly the entries showing an invalidated tag', async () => {
    const { data, cache } = fakeSite();
    for (const key of ['/', '/incidents/abc', '/history', '/feed.atom']) await cache.lookup(key);
    const dropped = cache.invalidate(['status', 'incident:abc']);
    expect(dropped.sort()).toEqual(['/', '/incidents/abc']);
    expect(cache.keys().sort()).toEqual(['/feed.atom', '/history']);
    expect(data.renders.get('/history')).toBe(1);
  });

  it('drops every permalink on incident:* and everything on *', async () => {
    const { cache } = fakeSite();
    for (const key of ['/', '/incidents/abc', '/history']) await cache.lookup(key);
    expect(cache.invalidate(['incident:*'])).toEqual(['/incidents/abc']);
    expect(cache.invalidate(['*']).sort()).toEqual(['/', '/history']);
  });

  it('renders the hot pages again right after an invalidation, so the next visitor gets a hit', async () => {
    const { data, cache } = fakeSite();
    await cache.lookup('/');
    data.version = 2;
    cache.invalidate(['status'], ['/']);
    await cache.settled();
    const next = await cache.lookup('/');
    expect(next instanceof Response ? null : [next.hit, text(next.page)]).toEqual([
      true,
      expect.stringContaining('v2'),
    ]);
  });

  it('does not keep a render that a write overtook, so stale content is served at most once', async () => {
    const { data, cache } = fakeSite();
    let open: () => void = () => {};
    data.gate = new Promise((r) => (open = r));
    const slow = cache.lookup('/'); // renders version 1, held at the gate
    await new Promise((r) => setTimeout(r, 5));
    data.version = 2;
    cache.invalidate(['status']); // a write lands while that render is under way
    data.gate = null;
    open();
    const first = await slow;
    expect(first instanceof Response ? null : text(first.page)).toContain('v1');
    const next = await cache.lookup('/');
    expect(next instanceof Response ? null : [next.hit, text(next.page)]).toEqual([
      false,
      expect.stringContaining('v2'),
    ]);
  });

  it('passes errors on without keeping them, each waiter with a body of its own', async () => {
    const { data, cache } = fakeSite();
    const [a, b] = await Promise.all([cache.lookup('/boom'), cache.lookup('/boom')]);
    expect(a instanceof Response && b instanceof Response).toBe(true);
    if (a instanceof Response && b instanceof Response)
      expect([await a.text(), await b.text()]).toEqual(['broken', 'broken']);
    await cache.lookup('/boom');
    expect(data.renders.get('/boom')).toBe(2);
  });

  it('answers 304 to a matching If-None-Match or If-Modified-Since, and serves br or gzip as accepted', async () => {
    const { cache } = fakeSite();
    const p = await page(cache, '/');
    const plain = respondFromCache(p, new Request('http://localhost/'), true);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-cache')).toBe('HIT');
    expect(plain.headers.get('cache-control')).toMatch(/max-age=\d+.*stale-while-revalidate/);
    const etag = plain.headers.get('etag') ?? '';
    expect(
      respondFromCache(p, new Request('http://localhost/', { headers: { 'if-none-match': etag } }), true).status,
    ).toBe(304);
    expect(
      respondFromCache(p, new Request('http://localhost/', { headers: { 'if-none-match': '"other"' } }), true).status,
    ).toBe(200);
    expect(
      respondFromCache(p, new Request('http://localhost/', { headers: { 'if-modified-since': p.lastModified } }), true)
        .status,
    ).toBe(304);

    const br = respondFromCache(
      p,
      new Request('http://localhost/', { headers: { 'accept-encoding': 'gzip, deflate, br' } }),
      true,
    );
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(text(p));
    const brEtag = br.headers.get('etag') ?? '';
    expect(
      respondFromCache(
        p,
        new Request('http://localhost/', { headers: { 'if-none-match': brEtag, 'accept-encoding': 'br' } }),
        true,
      ).status,
    ).toBe(304);

    const gz = respondFromCache(
      p,
      new Request('http://localhost/', { headers: { 'accept-encoding': 'gzip;q=1, br;q=0' } }),
      true,
    );
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(text(p));
  });

  it('answers HEAD with headers and no body', async () => {
    const { cache } = fakeSite();
    const res = respondFromCache(await page(cache, '/'), new Request('http://localhost/', { method: 'HEAD' }), true);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
  });

  it('does not keep content that declares no cache tags', async () => {
    const { data, cache } = fakeSite();
    await cache.lookup('/untagged');
    await cache.lookup('/untagged');
    expect(data.renders.get('/untagged')).toBe(2);
  });
});
