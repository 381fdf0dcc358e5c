// Upgrading keeps everything: each released Herald's database (tests/fixtures/herald-v*.db, made
// by tests/fixtures/make-fixture.ts with that release's code) is opened by this code, which
// migrates it at start, and must come out with every migration applied and every row intact.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.ts';
import { createApi } from '../../src/api/app.ts';
import { loadConfig } from '../../src/config.ts';
import { type Runtime, startRuntime } from '../../src/runtime.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const releases = readdirSync(FIXTURES)
  .filter((name) => /^herald-v[\w.-]+\.db$/.test(name))
  .sort();

/** What make-fixture.ts wrote beside each database: the secrets and names to look for. */
type Facts = {
  version: string;
  base_url: string;
  owner: { email: string; password: string };
  token: string;
  incident: { id: string; code: string; name: string };
  open_incident: { id: string; code: string; name: string };
  maintenance: { id: string; code: string; name: string };
  subscribers: Array<{ email: string; components: 'all' | string[] }>;
};

type Table = { columns: string[]; rows: unknown[][] };

/** Every table's rows (the columns it had then), read straight from the file with SQLite. */
function readTables(path: string, only?: ReadonlyMap<string, Table>): Map<string, Table> {
  const sqlite = new SQLite(path, { readonly: true });
  try {
    const names = only
      ? [...only.keys()]
      : sqlite
          .prepare<[], string>(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite%' and name not like 'kysely%' order by name",
          )
          .pluck()
          .all();
    const tables = new Map<string, Table>();
    for (const name of names) {
      const columns =
        only?.get(name)?.columns ??
        (sqlite.pragma(`table_info("${name}")`) as Array<{ name: string }>).map((c) => c.name);
      const list = columns.map((c) => `"${c}"`).join(', ');
      // Ordered by every column, so the comparison does not depend on how a migration rebuilt a table.
      const rows = sqlite
        .prepare<[], unknown[]>(`select ${list} from "${name}" order by ${columns.map((_, i) => i + 1).join(', ')}`)
        .raw()
        .all();
      tables.set(name, { columns, rows });
    }
    return tables;
  } finally {
    sqlite.close();
  }
}

function appliedMigrations(path: string): string[] {
  const sqlite = new SQLite(path, { readonly: true });
  try {
    return sqlite.prepare<[], string>('select name from kysely_migration order by name').pluck().all();
  } finally {
    sqlite.close();
  }
}

describe.each(releases)('upgrading the database of %s to this code', (fixture) => {
  const facts = JSON.parse(readFileSync(join(FIXTURES, fixture.replace(/\.db$/, '.json')), 'utf8')) as Facts;
  let dir: string;
  let dbPath: string;
  let before: Map<string, Table>;
  let migratedBefore: string[];
  let after: Map<string, Table>;
  let runtime: Runtime;
  let app: Hono;
  const call = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
    Promise.resolve(
      app.request(`${facts.base_url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...options.headers },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      }),
    );
  const bearer = () => ({ authorization: `Bearer ${facts.token}` });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-upgrade-'));
    dbPath = join(dir, 'herald.db');
    copyFileSync(join(FIXTURES, fixture), dbPath);
    // Read before this code touches the copy: the fixture itself says what must survive.
    before = readTables(dbPath);
    migratedBefore = appliedMigrations(dbPath);
    const config = loadConfig({
      DATABASE_PATH: dbPath,
      HERALD_BASE_URL: facts.base_url,
      HERALD_MAIL_DIR: join(dir, 'mail'),
    });
    runtime = await startRuntime(config, { scheduler: false, notifier: false });
    app = createApi(runtime);
    after = readTables(dbPath, before);
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts from an older schema and applies every migration in db/migrations/index.ts', () => {
    expect(migratedBefore.length).toBeGreaterThan(0);
    expect(Object.keys(migrations)).toEqual(expect.arrayContaining(migratedBefore));
    expect(appliedMigrations(dbPath)).toEqual(Object.keys(migrations).sort());
  });

  it('keeps every table of the release with the same number of rows', () => {
    expect(before.size).toBeGreaterThan(15);
    for (const [name, table] of before) {
      expect(table.rows.length, `${name} is empty in the fixture`).toBeGreaterThan(0);
      expect(after.get(name)?.rows.length, `rows in ${name}`).toBe(table.rows.length);
    }
  });

  it("keeps every stored value of the release's columns, but for the shipped templates no one edited", () => {
    for (const [name, table] of before) {
      if (name !== 'templates') expect(after.get(name)?.rows, `values in ${name}`).toEqual(table.rows);
    }
    // 0015 gives the three shipped templates still as shipped the playbooks' "next update" line;
    // every other value of every template, edited ones included, stays as it was.
    const templates = before.get('templates');
    const body = templates?.columns.indexOf('body') ?? -1;
    const id = templates?.columns.indexOf('id') ?? -1;
    const rewritten = new Set(['tpl-investigating', 'tpl-identified', 'tpl-monitoring']);
    const without = (rows: unknown[][] | undefined) =>
      (rows ?? []).map((row) => row.map((value, i) => (i === body && rewritten.has(String(row[id])) ? null : value)));
    expect(without(after.get('templates')?.rows)).toEqual(without(templates?.rows));
    const changed = (after.get('templates')?.rows ?? []).filter((row) => rewritten.has(String(row[id])));
    for (const row of changed) expect(String(row[body])).toMatch(/\{\{next_update\}\}|\{\{components\}\}/);
  });

  it("lets the owner sign in with the release's password and use its API token", async () => {
    const signIn = await call('POST', '/api/admin/session', { body: facts.owner, headers: { origin: facts.base_url } });
    expect(signIn.status).toBe(201);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(await (await call('GET', '/api/admin/me', { headers: { cookie } })).json()).toMatchObject({
      role: 'owner',
      label: facts.owner.email,
    });
    const me = await call('GET', '/api/admin/me', { headers: bearer() });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ role: 'owner', via: 'token' });
  });

  it('still serves the incidents: the admin list, the permalink in the public API, the maintenance', async () => {
    const list = await call('GET', '/api/admin/incidents?per_page=100', { headers: bearer() });
    expect(list.status).toBe(200);
    const names = ((await list.json()) as Array<{ id: string; name: string }>).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining([facts.incident.name, facts.open_incident.name]));

    const incident = (await (
      await call('GET', `/api/admin/incidents/${facts.incident.id}`, { headers: bearer() })
    ).json()) as {
      code: string;
      status: string;
      postmortem_published_at: string | null;
      incident_updates: unknown[];
    };
    expect(incident).toMatchObject({ code: facts.incident.code, status: 'resolved' });
    expect(incident.postmortem_published_at).not.toBeNull();
    expect(incident.incident_updates.length).toBeGreaterThan(1);

    const publicList = (await (await call('GET', '/api/v2/incidents.json')).json()) as {
      incidents: Array<{ name: string; shortlink: string }>;
    };
    const shown = publicList.incidents.find((i) => i.name === facts.incident.name);
    expect(shown?.shortlink).toBe(`${facts.base_url}/incidents/${facts.incident.code}`);

    const maintenance = (await (await call('GET', '/api/v2/scheduled-maintenances.json')).json()) as {
      scheduled_maintenances: Array<{ name: string }>;
    };
    expect(maintenance.scheduled_maintenances.map((m) => m.name)).toContain(facts.maintenance.name);
  });

  it('keeps the subscribers and the components each chose', async () => {
    const response = await call('GET', '/api/admin/subscribers?per_page=100', { headers: bearer() });
    expect(response.status).toBe(200);
    const listed = (await response.json()) as Array<{ email: string | null; components: 'all' | string[] }>;
    for (const expected of facts.subscribers) {
      const found = listed.find((s) => s.email === expected.email);
      expect(found, expected.email).toBeDefined();
      const components = found?.components;
      expect(Array.isArray(components) ? [...components].sort() : components, expected.email).toEqual(
        expected.components,
      );
    }
  });
});
