import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.ts';
import { closeDatabase, migrateToLatest, openDatabase } from '../../src/db/database.ts';

describe('migration 0012 rebuilding the subscribers table', () => {
  it('keeps every subscriber, their components and deliveries, and never gives a deleted id out again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-0012-'));
    const db = openDatabase(join(dir, 'herald.db'));
    try {
      const before = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      const { error } = await before.migrateTo('0011_mail_outbox');
      expect(error).toBeUndefined();
      const at = '2026-11-23T10:00:00.000Z';
      await sql`insert into components (id, name, position, status, created_at, updated_at)
        values ('api', 'API', 0, 'operational', ${at}, ${at})`.execute(db);
      for (const email of ['a@example.com', 'b@example.com', 'c@example.com'])
        await sql`insert into subscribers (channel, email, all_components, confirmed_at, created_at, updated_at)
          values ('email', ${email}, 0, ${at}, ${at}, ${at})`.execute(db);
      await sql`insert into subscriber_components (subscriber_id, component_id) values (1, 'api'), (2, 'api')`.execute(
        db,
      );
      // The newest subscriber left: its id must stay retired, or its old manage link opens a stranger's.
      await sql`delete from subscribers where id = 3`.execute(db);

      await migrateToLatest(db);

      const rows = await sql<{
        id: number;
        email: string;
        channel: string;
      }>`select id, email, channel from subscribers order by id`.execute(db);
      expect(rows.rows).toEqual([
        { id: 1, email: 'a@example.com', channel: 'email' },
        { id: 2, email: 'b@example.com', channel: 'email' },
      ]);
      const links = await sql<{ n: number }>`select count(*) as n from subscriber_components`.execute(db);
      expect(links.rows[0]?.n).toBe(2);
      await sql`insert into subscribers (channel, target_url, all_components, confirmed_at, created_at, updated_at)
        values ('webhook', 'https://hooks.example.net/x', 1, ${at}, ${at}, ${at})`.execute(db);
      const newest = await sql<{ id: number }>`select max(id) as id from subscribers`.execute(db);
      expect(newest.rows[0]?.id).toBe(4);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      expect(broken.rows).toEqual([]);
    } finally {
      await closeDatabase(db);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
