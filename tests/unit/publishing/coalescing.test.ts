import { describe, expect, it } from 'vitest';
import { setCacheTags } from '../../../src/publishing/cache-tags.ts';
import { SiteCache } from '../../../src/publishing/site-cache.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A site whose home page shows a version number, rendered slowly, with every render counted. */
function slowSite(options: { renderMs?: number; windowMs?: number; timeoutMs?: number } = {}) {
  const state = {
    version: 1,
    renders: 0,
    concurrent: 0,
    maxConcurrent: 0,
    fail: null as string | null,
    hang: false,
    logged: [] as string[],
  };
  const render = async () => {
    state.renders++;
    state.concurrent++;
    state.maxConcurrent = Math.max(state.maxConcurrent, state.concurrent);
    const version = state.version;
    try {
      if (state.hang) await new Promise(() => {});
      await sleep(options.renderMs ?? 5);
      if (state.fail) throw new Error(state.fail);
      const headers = new Headers({ 'content-type': 'text/html; charset=utf-8' });
      setCacheTags(headers, ['status']);
      return new Response(`<!doctype html><main>v${version}</main>${'<p>padding</p>'.repeat(200)}</html>`, { headers });
    } finally {
      state.concurrent--;
    }
  };
  const cache = new SiteCache({
    render,
    origin: 'http://localhost',
    windowMs: options.windowMs ?? 25,
    timeoutMs: options.timeoutMs ?? 10_000,
    log: (details, message) => state.logged.push(`${message}: ${details.reason}`),
  });
  return { state, cache };
}

const served = (cache: SiteCache) => {
  const page = cache.peek('/');
  return page ? new TextDecoder().decode(page.body) : null;
};

describe('coalesced renders', () => {
  it('renders a burst of 50 writes a bounded number of times, never two at once, and the last write wins', async () => {
    const { state, cache } = slowSite({ renderMs: 5, windowMs: 25 });
    await cache.lookup('/');
    cache.peek('/'); // read since its render: a hot page
    const before = state.renders;
    const started = performance.now();
    for (let i = 0; i < 50; i++) {
      state.version = i + 2;
      cache.invalidate(['status'], ['/']);
      await sleep(1);
      cache.peek('/');
    }
    await cache.settled();
    const elapsed = performance.now() - started;
    const renders = state.renders - before;
    // At most one render per 25 ms window, plus the one at each end.
    expect(renders).toBeLessThanOrEqual(Math.ceil(elapsed / 25) + 2);
    expect(renders).toBeLessThan(50);
    expect(state.maxConcurrent).toBe(1);
    expect(served(cache)).toContain('<main>v51</main>');
  });

  it('serves the previous complete version while a re-render is under way, then swaps in the new one', async () => {
    const { state, cache } = slowSite({ renderMs: 40 });
    await cache.lookup('/');
    cache.peek('/');
    state.version = 2;
    cache.invalidate(['status'], ['/']);
    const seen = new Set<string>();
    const until = performance.now() + 150;
    while (performance.now() < until) {
      const body = served(cache);
      expect(body).not.toBeNull();
      expect(body?.endsWith('</html>')).toBe(true);
      seen.add(/<main>(v\d+)<\/main>/.exec(body ?? '')?.[1] ?? 'none');
      await sleep(2);
    }
    expect([...seen]).toEqual(['v1', 'v2']);
  });

  it('lets a writer wait until its write is visible, while a reader is never held', async () => {
    const { state, cache } = slowSite({ renderMs: 30 });
    await cache.lookup('/');
    cache.peek('/');
    state.version = 2;
    cache.invalidate(['status'], ['/']);
    const t = performance.now();
    expect(served(cache)).toContain('v1');
    expect(performance.now() - t).toBeLessThan(5);
    expect(await cache.visible(cache.version)).toBe(true);
    expect(served(cache)).toContain('v2');
  });

  it('keeps the previous version when a render fails or times out, says why, and tries again', async () => {
    const { state, cache } = slowSite({ renderMs: 2, timeoutMs: 50 });
    await cache.lookup('/');
    cache.peek('/');
    state.version = 2;
    state.fail = 'database is locked';
    cache.invalidate(['status'], ['/']);
    await cache.visible(cache.version);
    expect(served(cache)).toContain('v1');
    expect(state.logged).toEqual([expect.stringContaining('database is locked')]);

    state.fail = null;
    state.hang = true;
    state.version = 3;
    cache.invalidate(['status'], ['/']);
    await cache.visible(cache.version, 1000);
    expect(served(cache)).toContain('v1');
    expect(state.logged.at(-1)).toMatch(/timed out after 50 ms/);

    // The retry after the back-off renders the current data.
    state.hang = false;
    await sleep(1100);
    await cache.settled();
    expect(served(cache)).toContain('v3');
  });

  it('renders again a page that a write overtook during its render', async () => {
    const { state, cache } = slowSite({ renderMs: 30, windowMs: 10 });
    await cache.lookup('/');
    cache.peek('/');
    state.version = 2;
    cache.invalidate(['status'], ['/']);
    await sleep(15); // the render of v2 is under way
    state.version = 3;
    cache.invalidate(['status'], ['/']);
    await cache.settled();
    expect(served(cache)).toContain('v3');
  });

  it('does not hold writers for pages nobody reads; their next reader waits for the new version', async () => {
    const { state, cache } = slowSite({ renderMs: 20 });
    cache.invalidate([], ['/']); // warmed, never read
    await cache.settled();
    state.version = 2;
    cache.invalidate(['status'], ['/']);
    const t = performance.now();
    expect(await cache.visible(cache.version)).toBe(true);
    expect(performance.now() - t).toBeLessThan(5);
    expect(cache.peek('/')).toBeUndefined();
    const next = await cache.lookup('/');
    expect(next instanceof Response ? null : new TextDecoder().decode(next.page.body)).toContain('v2');
  });
});
