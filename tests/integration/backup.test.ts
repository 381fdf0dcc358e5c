import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { copyDatabase, inspectCopy, openForBackup } from '../../src/db/backup.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';

const ROOT = join(import.meta.dirname, '../..');

type Created = { id: string };

describe('npm run backup on a running server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-backup-'));
  const databasePath = join(dir, 'data', 'herald.db');
  const env = { DATABASE_PATH: databasePath, HERALD_MAIL_DIR: join(dir, 'mail') };
  let server: ServerProcess;
  let token = '';

  beforeAll(async () => {
    server = await startServer(env);
    token = await ownerToken(server);
  });
  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The CLI as an operator runs it: its own process, next to the server. */
  const runBackup = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        join(ROOT, 'node_modules/.bin/node'),
        ['src/cli/backup.ts', ...args],
        { cwd: ROOT, env: { ...process.env, ...env } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it(
    'copies every acknowledged row while the API keeps writing, and the copy restores',
    { timeout: 120_000 },
    async () => {
      const api = adminApi(server, token);
      const components: string[] = [];
      const incidents: string[] = [];
      let writing = true;
      // Three clients at once, so writes keep arriving however long the backup takes.
      const writers = [1, 2, 3].map(async (client) => {
        for (let i = 0; writing; i++) {
          components.push((await api<Created>('POST', '/components', { name: `Service ${client}.${i}` })).id);
          incidents.push(
            (
              await api<Created>('POST', '/incidents', {
                name: `Incident ${client}.${i}`,
                body: 'Looking into it.',
                components: {},
                notify: false,
              })
            ).id,
          );
        }
      });
      while (incidents.length < 30) await new Promise((r) => setTimeout(r, 20));

      const acknowledged = { components: [...components], incidents: [...incidents] };
      const file = join(dir, 'backups', 'herald-backup.db');
      const result = await runBackup(file);
      const duringBackup =
        components.length + incidents.length - acknowledged.components.length - acknowledged.incidents.length;
      writing = false;
      await Promise.all(writers);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Backed up .* \(\d+(\.\d)? (B|KiB|MiB), integrity ok\)/);
      expect(result.stdout).toMatch(/^ {2}incidents +\d+$/m);
      expect(duringBackup).toBeGreaterThan(0);

      const copy = new SQLite(file, { readonly: true, fileMustExist: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
        const has = (table: string, ids: string[]) =>
          new Set(copy.prepare(`select id from ${table}`).pluck().all() as string[]).isSupersetOf(new Set(ids));
        expect(has('components', acknowledged.components)).toBe(true);
        expect(has('incidents', acknowledged.incidents)).toBe(true);
        // One snapshot: no incident in the copy lacks the first update written in its transaction.
        expect(
          copy
            .prepare('select count(*) from incidents where id not in (select incident_id from incident_updates)')
            .pluck()
            .get(),
        ).toBe(0);
      } finally {
        copy.close();
      }
      expect(existsSync(`${file}-wal`) || existsSync(`${file}-journal`)).toBe(false);

      // A write after the backup, which the restore must take back.
      const later = await api<Created>('POST', '/components', { name: 'After the backup' });
      await server.stop();
      copyFileSync(file, databasePath);
      rmSync(`${databasePath}-wal`, { force: true });
      rmSync(`${databasePath}-shm`, { force: true });
      server = await startServer(env);

      const restored = adminApi(server, token);
      for (const id of acknowledged.components)
        expect((await restored<Created>('GET', `/components/${id}`)).id).toBe(id);
      for (const id of acknowledged.incidents) expect((await restored<Created>('GET', `/incidents/${id}`)).id).toBe(id);
      const gone = await fetch(`${server.url}/api/admin/components/${later.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(gone.status).toBe(404);
    },
  );

  it('finishes a backup that the writer restarts after every step', async () => {
    const path = join(dir, 'busy.db');
    const writer = new SQLite(path);
    writer.pragma('journal_mode = WAL');
    writer.exec('create table kysely_migration (name text); create table t (x blob)');
    const insert = writer.prepare('insert into t values (randomblob(1000))');
    writer.transaction(() => Array.from({ length: 500 }, () => insert.run()))();
    const source = openForBackup(path);
    // A write between every step: SQLite restarts a page-by-page backup each time.
    let copying = true;
    const write = () => {
      if (!copying) return;
      insert.run();
      setImmediate(write);
    };
    setImmediate(write);
    try {
      const { totalPages } = await copyDatabase(source, join(dir, 'busy-copy.db'));
      expect(totalPages).toBeGreaterThan(100);
    } finally {
      copying = false;
      source.close();
      writer.close();
    }
    const report = inspectCopy(join(dir, 'busy-copy.db'));
    expect(report.integrity).toEqual(['ok']);
    expect(report.tables.find((t) => t.name === 't')?.rows).toBeGreaterThanOrEqual(500);
  });

  it('refuses to replace an existing file without --force, and replaces it with --force', async () => {
    const file = join(dir, 'backups', 'herald-backup.db');
    const refused = await runBackup(file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already exists; pass --force to replace it');
    const forced = await runBackup(file, '--force');
    expect(forced.code, forced.stderr).toBe(0);
  });

  it('refuses to write over the live database and says when there is no database', async () => {
    const live = await runBackup(databasePath, '--force');
    expect(live.code).toBe(1);
    expect(live.stderr).toContain('is the live database');
    const missing = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        join(ROOT, 'node_modules/.bin/node'),
        ['src/cli/backup.ts', join(dir, 'x.db')],
        { cwd: ROOT, env: { ...process.env, DATABASE_PATH: join(dir, 'none.db') } },
        (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      );
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no database at');
    expect(existsSync(join(dir, 'none.db'))).toBe(false);
  });
});
