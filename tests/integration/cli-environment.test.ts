import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/child-server.ts';
import { loadConfig } from '../../src/config.ts';
import { startRuntime } from '../../src/runtime.ts';
import { CLI } from '../../src/services/actor.ts';
import { createComponent } from '../../src/services/components.ts';

const ROOT = join(import.meta.dirname, '../..');
const NODE = join(ROOT, 'node_modules/.bin/node');

type Run = { code: number; stdout: string; stderr: string };

/** A CLI as an operator runs it from some folder: its own process, that folder as working directory. */
function runCli(script: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  // The test runner's own environment carries no Herald settings, so the .env file is what counts.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DATABASE_PATH|HERALD_|PORT$|HOST$)/.test(name)),
  );
  return new Promise((resolve) => {
    execFile(
      NODE,
      [join(ROOT, 'src/cli', script), ...args],
      { cwd, env: { ...base, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the server and every CLI read .env from the working directory and name the database they use', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-cli-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A folder with its own .env, as an operator lays out an install. */
  const folderWithEnv = (name: string, text: string) => {
    const folder = join(dir, name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '.env'), text);
    return folder;
  };

  it('npm run admin takes DATABASE_PATH from .env, says which database it opened, and names it in its usage', async () => {
    const db = join(dir, 'from-env', 'herald.db');
    const cwd = folderWithEnv('admin', `# Herald\nDATABASE_PATH=${db}\nHERALD_MAIL_DIR=${join(dir, 'mail')}\n`);
    const created = await runCli(
      'admin.ts',
      ['create-user', '--email', 'lead@example.com', '--role', 'owner', '--password', 'a long enough password'],
      cwd,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Database: ${db} (DATABASE_PATH)`);
    expect(created.stdout).toContain('Created owner lead@example.com');
    expect(existsSync(db)).toBe(true);
    expect(existsSync(join(cwd, 'data'))).toBe(false);

    const usage = await runCli('admin.ts', ['no-such-command'], cwd);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain(`DATABASE_PATH=${db} npm run admin -- create-user --email <email>`);
    expect(usage.stderr).toContain(`DATABASE_PATH=${db} npm run admin -- create-token --email <email>`);
  });

  it('lets the real environment win over .env', async () => {
    const cwd = folderWithEnv('override', `DATABASE_PATH=${join(dir, 'file.db')}\n`);
    const real = join(dir, 'real env', 'herald.db');
    const run = await runCli(
      'admin.ts',
      ['create-user', '--email', 'a@example.com', '--role', 'viewer', '--password', 'a long enough password'],
      cwd,
      { DATABASE_PATH: real },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Database: ${real} (DATABASE_PATH)`);
    expect(existsSync(join(dir, 'file.db'))).toBe(false);
    // A path with a space is quoted, so the printed command pastes as it is.
    const usage = await runCli('admin.ts', [], cwd, { DATABASE_PATH: real });
    expect(usage.stderr).toContain(`DATABASE_PATH='${real}' npm run admin -- create-user`);
  });

  it('stops every command with the line at fault when .env is malformed', async () => {
    const cwd = folderWithEnv(
      'malformed',
      `PORT=4321\nDATABASE_PATH /srv/herald.db\nMAIL_FROM="Status <s@example.com>\n`,
    );
    for (const [script, args] of [
      ['admin.ts', ['create-user', '--email', 'x@example.com']],
      ['backup.ts', [join(dir, 'copy.db')]],
      ['export.ts', [join(dir, 'site')]],
    ] as const) {
      const run = await runCli(script, [...args], cwd);
      expect([script, run.code]).toEqual([script, 1]);
      expect(run.stderr).toContain(`${join(cwd, '.env')} is not a valid .env file`);
      expect(run.stderr).toContain('line 2: expected NAME=value, found "DATABASE_PATH /srv/herald.db"');
      expect(run.stderr).toContain('line 3: the value of MAIL_FROM opens a " quote that is never closed');
    }
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  it('npm run backup takes DATABASE_PATH from .env and names it', async () => {
    const db = join(dir, 'from-env', 'herald.db');
    const cwd = folderWithEnv('backup', `DATABASE_PATH=${db}\n`);
    const run = await runCli('backup.ts', [join(dir, 'backup.db')], cwd);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Backed up ${db} to ${join(dir, 'backup.db')}`);
    const usage = await runCli('backup.ts', [], cwd);
    expect(usage.stderr).toContain(`Usage: DATABASE_PATH=${db} npm run backup -- <file> [--force]`);
  });

  it('npm run export refuses a missing database, without creating it', async () => {
    const missing = join(dir, 'nowhere', 'herald.db');
    const run = await runCli('export.ts', [join(dir, 'site-missing')], dir, { DATABASE_PATH: missing });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Refusing to export: there is no database at ${missing}`);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, 'site-missing'))).toBe(false);
  });

  it('npm run export refuses a database with no components and no incidents: nothing to export', async () => {
    const empty = join(dir, 'empty', 'herald.db');
    const runtime = await startRuntime(loadConfig({ DATABASE_PATH: empty, HERALD_MAIL_DIR: join(dir, 'mail') }), {
      scheduler: false,
      notifier: false,
    });
    await runtime.stop();
    const run = await runCli('export.ts', [join(dir, 'site-empty')], dir, { DATABASE_PATH: empty });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Nothing to export: the database at ${empty} has no components and no incidents`);
    expect(existsSync(join(dir, 'site-empty'))).toBe(false);
  });

  it(
    'npm run export takes DATABASE_PATH from .env and exports what that database holds',
    { timeout: 120_000 },
    async () => {
      const db = join(dir, 'export-source', 'herald.db');
      const runtime = await startRuntime(loadConfig({ DATABASE_PATH: db, HERALD_MAIL_DIR: join(dir, 'mail') }), {
        scheduler: false,
        notifier: false,
      });
      await createComponent(runtime.ctx, CLI, { name: 'Exported API' });
      await runtime.stop();
      const cwd = folderWithEnv('export', `DATABASE_PATH=${db}\n`);
      const run = await runCli('export.ts', [join(dir, 'site')], cwd);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`Database: ${db} (DATABASE_PATH)`);
      expect(readFileSync(join(dir, 'site', 'index.html'), 'utf8')).toContain('Exported API');
    },
  );

  it('npm start reads .env from its working directory and prints a create-user command that names its database', async () => {
    const db = join(dir, 'server', 'herald.db');
    const cwd = folderWithEnv('server', `DATABASE_PATH=${db}\nHERALD_MAIL_DIR=${join(dir, 'server-mail')}\n`);
    const server = await startServer({}, 90_000, { cwd });
    try {
      expect(server.output()).toContain(`database ${db}`);
      expect(server.output()).toContain(
        `or run: DATABASE_PATH=${db} npm run admin -- create-user --email you@example.com --role owner`,
      );
      // The render threads read the same settings: none of them opened a default ./data/herald.db.
      expect((await fetch(`${server.url}/`)).status).toBe(200);
      expect(existsSync(join(cwd, 'data'))).toBe(false);
    } finally {
      await server.kill();
    }
  });

  it('npm start refuses a malformed .env with its line', async () => {
    const cwd = folderWithEnv('bad-server', 'HOST=127.0.0.1\nnot a setting\n');
    await expect(startServer({}, 30_000, { cwd })).rejects.toThrow(
      /line 2: expected NAME=value, found "not a setting"/,
    );
  });
});
