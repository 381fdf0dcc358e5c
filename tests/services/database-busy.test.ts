import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseBusy } from '../../src/services/errors.ts';
import { createComponent, listVisibleComponents } from '../../src/services/components.ts';
import { CLI } from '../../src/services/actor.ts';
import { openServiceContext, type ServiceFixture } from '../helpers/service-context.ts';

describe('a database held by another process', () => {
  let f: ServiceFixture;
  beforeAll(async () => {
    f = await openServiceContext({ busyWaitMs: 300 });
    await createComponent(f.ctx, CLI, { name: 'Before the lock' });
  });
  afterAll(() => f.close());

  it('reads go on, a write waits its bounded time off the event loop and then is refused as DatabaseBusy', async () => {
    const other = new SQLite(f.dbPath);
    other.exec('BEGIN EXCLUSIVE');
    try {
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const write = createComponent(f.ctx, CLI, { name: 'During the lock' }).catch((e: unknown) => e);
      expect((await listVisibleComponents(f.ctx)).map((c) => c.name)).toEqual(['Before the lock']);
      const refused = await write;
      clearInterval(ticker);
      expect(refused).toBeInstanceOf(DatabaseBusy);
      // The event loop kept turning while the write waited: timers fired throughout.
      expect(ticks).toBeGreaterThan(10);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await createComponent(f.ctx, CLI, { name: 'After the lock' });
    expect((await listVisibleComponents(f.ctx)).map((c) => c.name)).toEqual(['Before the lock', 'After the lock']);
  });

  it('runs this process’s own transactions one after another, none refused', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `Concurrent ${i}`);
    await Promise.all(names.map((name) => createComponent(f.ctx, CLI, { name })));
    const stored = (await listVisibleComponents(f.ctx)).map((c) => c.name);
    expect(names.every((n) => stored.includes(n))).toBe(true);
  });
});
