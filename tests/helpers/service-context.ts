import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, migrateToLatest, openDatabase } from '../../src/db/database.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { Publisher } from '../../src/services/publisher.ts';
import { TestClock } from './harness.ts';

export type ServiceFixture = {
  ctx: ServiceContext;
  clock: TestClock;
  dbPath: string;
  published: string[][];
  close: () => Promise<void>;
};

/** A real SQLite file, migrated, and the services' context over it: no HTTP, no runtime. */
export async function openServiceContext(options: { busyWaitMs?: number } = {}): Promise<ServiceFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-services-'));
  const dbPath = join(dir, 'herald.db');
  const db = openDatabase(dbPath, options);
  await migrateToLatest(db);
  const clock = new TestClock();
  const publisher = new Publisher();
  const published: string[][] = [];
  publisher.subscribe((tags) => published.push([...tags]));
  return {
    ctx: { db, now: clock.now, publisher, baseUrl: 'http://localhost:4321' },
    clock,
    dbPath,
    published,
    close: async () => {
      await closeDatabase(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
