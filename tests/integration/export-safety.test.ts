import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startRuntime } from '../../src/runtime.ts';
import { CLI } from '../../src/services/actor.ts';
import { createComponent } from '../../src/services/components.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('npm run export never replaces a folder it did not write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-export-safety-'));
  const dataDir = join(dir, 'data');
  const databasePath = join(dataDir, 'herald.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // The export refuses a missing or empty database: this one has a component to show.
  beforeAll(async () => {
    const runtime = await startRuntime(
      loadConfig({ DATABASE_PATH: databasePath, HERALD_MAIL_DIR: join(dir, 'mail') }),
      {
        scheduler: false,
        notifier: false,
      },
    );
    await createComponent(runtime.ctx, CLI, { name: 'API' });
    await runtime.stop();
  });

  /** The CLI as a person runs it: its own process, on a temporary database. */
  const runExport = (target: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        join(ROOT, 'node_modules/.bin/node'),
        ['src/cli/export.ts', target],
        { cwd: ROOT, env: { ...process.env, DATABASE_PATH: databasePath, HERALD_MAIL_DIR: join(dir, 'mail') } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('marks every export, and a second export replaces the first one whole', { timeout: 120_000 }, async () => {
    const site = join(dir, 'site');
    const first = await runExport(site);
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(join(site, '.herald-export'))).toBe(true);
    expect(existsSync(join(site, 'index.html'))).toBe(true);
    expect(existsSync(databasePath)).toBe(true);

    writeFileSync(join(site, 'left-over.html'), 'from an older export');
    const second = await runExport(site);
    expect(second.code, second.stderr).toBe(0);
    expect(existsSync(join(site, 'left-over.html'))).toBe(false);
    expect(existsSync(join(site, '.herald-export'))).toBe(true);
    expect(existsSync(join(site, 'index.html'))).toBe(true);
  });

  it('refuses the folder that holds the database, anything inside it or around it, and keeps the database', async () => {
    const link = join(dir, 'link-to-data');
    symlinkSync(dataDir, link);
    const before = readdirSync(dataDir).sort();
    for (const target of [dataDir, join(dataDir, 'site'), dir, link, join(link, 'site')]) {
      const result = await runExport(target);
      expect([target, result.code]).toEqual([target, 1]);
      expect(result.stderr).toMatch(/folder that holds the database/);
    }
    expect(existsSync(databasePath)).toBe(true);
    expect(readdirSync(dataDir).sort()).toEqual(before);
  });

  it('refuses a non-empty folder that no export wrote, and keeps its files', async () => {
    const notes = join(dir, 'notes');
    mkdirSync(notes);
    writeFileSync(join(notes, 'todo.txt'), 'keep me');
    const result = await runExport(notes);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not empty and was not written by an export/);
    expect(readFileSync(join(notes, 'todo.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(notes)).toEqual(['todo.txt']);
  });

  it('refuses a file in place of the folder', async () => {
    const file = join(dir, 'site.txt');
    writeFileSync(file, 'a file');
    const result = await runExport(file);
    expect(result.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('a file');
  });
});
