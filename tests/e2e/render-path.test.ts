import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';

type Api = ReturnType<typeof adminApi>;

describe('the render path of the real server (one render thread)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-render-'));
  let server: ServerProcess;
  let api: Api;
  let token = '';

  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), HERALD_RENDER_THREADS: '1' });
    token = await ownerToken(server);
    api = adminApi(server, token);
    for (let i = 0; i < 5; i++) await api('POST', '/components', { name: `Service ${i}` });
  });
  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const renders = async () => {
    const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    return Number(/^herald_site_renders_total (\d+)/m.exec(text)?.[1] ?? NaN);
  };

  it('starts one render thread that prints no setup link and runs no second notifier or scheduler', () => {
    const output = server.output();
    expect(output).toContain('rendering public pages in 1 worker thread(s)');
    expect(output.match(/No user yet/g)).toHaveLength(1);
    expect(output.match(/"msg":"database /g)).toHaveLength(1);
    expect(output.match(/Server listening on/g)).toHaveLength(1);
  });

  it('renders a burst of 50 writes a bounded number of times; readers only ever get whole pages, and the last write wins', async () => {
    const incident = await api<{ id: string; code: string }>('POST', '/incidents', {
      name: 'Burst start',
      body: 'Watching.',
      components: {},
      notify: false,
    });
    for (let i = 0; i < 3; i++) await fetch(`${server.url}/`);
    const before = await renders();

    let reading = true;
    let reads = 0;
    const partial: string[] = [];
    const readers = Array.from({ length: 4 }, async () => {
      const deadline = Date.now() + 20_000;
      while (reading && Date.now() < deadline && reads < 20_000) {
        const res = await fetch(`${server.url}/`, { headers: { 'accept-encoding': 'identity' } });
        const body = await res.text();
        reads++;
        if (
          res.status !== 200 ||
          !body.trimEnd().endsWith('</html>') ||
          Number(res.headers.get('content-length')) !== Buffer.byteLength(body)
        )
          partial.push(body.slice(-80));
      }
    });

    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = next++; i < 50; i = next++)
          await api('PATCH', `/incidents/${incident.id}`, { name: `Burst write ${i}` });
      }),
    );
    const elapsed = performance.now() - started;
    // Whichever write committed last is what the page shows, at once and from then on.
    const stored = (await api<{ name: string }>('GET', `/incidents/${incident.id}`)).name;
    expect(await (await fetch(`${server.url}/`)).text()).toContain(`${stored}<`);
    await new Promise((r) => setTimeout(r, 300));
    expect(await (await fetch(`${server.url}/`)).text()).toContain(`${stored}<`);
    reading = false;
    await Promise.all(readers);

    expect(partial).toEqual([]);
    expect(reads).toBeGreaterThan(50);
    // Without coalescing: 50 writes × the hot pages they touch (home, status documents, badge,
    // widget, stylesheet, permalink, history, feeds). With it: at most one per page per 25 ms.
    const rendered = (await renders()) - before;
    expect(rendered).toBeLessThan(50 * 6);
    expect(rendered).toBeLessThanOrEqual(10 * (Math.ceil(elapsed / 25) + 2));
  });

  it('answers a write only once its change shows on the pages being read', async () => {
    const incident = await api<{ id: string; code: string }>('POST', '/incidents', {
      name: 'Read your write',
      body: 'First.',
      components: {},
      notify: false,
    });
    await fetch(`${server.url}/incidents/${incident.code}`);
    for (let i = 0; i < 10; i++) {
      await api('POST', `/incidents/${incident.id}/updates`, {
        status: 'identified',
        body: `Finding ${i}.`,
        notify: false,
      });
      expect(await (await fetch(`${server.url}/`)).text()).toContain(`Finding ${i}.`);
      expect(await (await fetch(`${server.url}/incidents/${incident.code}`)).text()).toContain(`Finding ${i}.`);
    }
  });
});

describe('rendering in the main thread (HERALD_RENDER_THREADS=0)', () => {
  it('serves and refreshes the public pages without a render thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-render0-'));
    const server = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), HERALD_RENDER_THREADS: '0' });
    try {
      const api = adminApi(server, await ownerToken(server));
      expect(server.output()).not.toContain('worker thread');
      await api('POST', '/incidents', { name: 'Rendered in process', body: 'Yes.', components: {}, notify: false });
      expect(await (await fetch(`${server.url}/`)).text()).toContain('Rendered in process');
    } finally {
      await server.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
