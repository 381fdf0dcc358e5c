import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';

type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: Array<{ field: string; message: string }>;
};

describe('bad input to the admin API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function problem(res: Response, status: number): Promise<Problem> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = await json<Problem>(res);
    expect(body).toMatchObject({ type: 'about:blank', status });
    expect(body.detail.length).toBeGreaterThan(10);
    return body;
  }

  it('names each invalid field', async () => {
    const p = await problem(
      await h.call('POST', '/api/admin/incidents', {
        body: { name: '', impact: 'huge', body: 'x', components: { abc: 'broken' } },
      }),
      422,
    );
    expect(p.errors?.map((e) => e.field).sort()).toEqual(['components.abc', 'impact', 'name']);
  });

  it('refuses unknown fields instead of ignoring them', async () => {
    const p = await problem(
      await h.call('POST', '/api/admin/components', { body: { name: 'API', colour: 'red' } }),
      422,
    );
    expect(JSON.stringify(p.errors)).toContain('colour');
  });

  it('refuses a reserved key instead of silently dropping the change it carried', async () => {
    const body = '{"name":"Outage","status":"investigating","body":"x","components":{"__proto__":"major_outage"}}';
    const p = await problem(await h.call('POST', '/api/admin/incidents', { body }), 422);
    expect(p.errors).toEqual([{ field: '__proto__', message: 'is a reserved name and cannot be used as a key' }]);
    expect(await json<unknown[]>(await h.call('GET', '/api/admin/incidents'))).toEqual([]);
  });

  it('refuses wrong types', async () => {
    const p = await problem(await h.call('POST', '/api/admin/components', { body: { name: 42 } }), 422);
    expect(p.errors?.[0]?.field).toBe('name');
  });

  it('explains malformed JSON', async () => {
    const p = await problem(await h.call('POST', '/api/admin/components', { body: '{"name": "API",' }), 400);
    expect(p.detail).toMatch(/not valid JSON/);
  });

  it('asks for JSON when sent a form', async () => {
    await problem(
      await h.call('POST', '/api/admin/components', {
        body: 'name=API',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
    );
  });

  it('refuses a body over 64 KiB', async () => {
    const p = await problem(
      await h.call('POST', '/api/admin/components', { body: { name: 'x', description: 'y'.repeat(70_000) } }),
      413,
    );
    expect(p.detail).toContain('64 KiB');
  });

  it('answers unknown ids and unknown routes with 404 problems', async () => {
    await problem(await h.call('GET', '/api/admin/incidents/nope'), 404);
    await problem(
      await h.call('POST', '/api/admin/incidents/nope/updates', { body: { status: 'identified', body: 'x' } }),
      404,
    );
    await problem(await h.call('GET', '/api/admin/nothing-here'), 404);
    await problem(await h.call('GET', '/api/elsewhere', { as: null }), 404);
  });

  it('refuses an incident naming an unknown component and writes nothing at all', async () => {
    const before = await h.runtime.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const auditBefore = await h.runtime.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const p = await problem(
      await h.call('POST', '/api/admin/incidents', {
        body: { name: 'Ghost', body: 'x', components: { ghost123: 'major_outage' } },
      }),
      422,
    );
    expect(p.errors).toEqual([{ field: 'components.ghost123', message: 'no component ghost123' }]);
    const after = await h.runtime.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const auditAfter = await h.runtime.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(auditAfter.n).toBe(auditBefore.n);
  });

  it('validates the query string of lists', async () => {
    const p = await problem(await h.call('GET', '/api/admin/incidents?per_page=1000'), 422);
    expect(p.errors?.[0]?.field).toBe('per_page');
  });

  it('validates settings with plain messages', async () => {
    const p = await problem(
      await h.call('PATCH', '/api/admin/settings', {
        body: { time_zone: 'Mars/Olympus', brand_color: 'blue', support_url: 'javascript:alert(1)' },
      }),
      422,
    );
    expect(p.errors?.map((e) => e.message).sort()).toEqual([
      'must be a colour like #2563eb',
      'must be an IANA time zone such as Europe/Paris',
      'must be an absolute http(s) URL',
    ]);
  });

  it('refuses a brand colour too light for the white text and links the page draws with it, and keeps the old one', async () => {
    const before = await json<{ brand_color: string }>(await h.call('GET', '/api/admin/settings'));
    const p = await problem(
      await h.call('PATCH', '/api/admin/settings', { body: { brand_color: '#ffd700', page_name: 'Gold Status' } }),
      422,
    );
    expect(p.errors).toEqual([
      {
        field: 'brand_color',
        message: expect.stringMatching(/^is too light: .* 1\.4\d?:1 where at least 4\.5:1 is needed/),
      },
    ]);
    expect(await json(await h.call('GET', '/api/admin/settings'))).toMatchObject({
      brand_color: before.brand_color,
      page_name: expect.not.stringMatching('Gold'),
    });
    expect((await h.call('PATCH', '/api/admin/settings', { body: { brand_color: '#0b5394' } })).status).toBe(200);
  });

  it('stores markdown as written, script tags included, for safe rendering later', async () => {
    const body = 'Hello <script>alert(1)</script> **world**';
    const res = await h.call('POST', '/api/admin/incidents', {
      body: { name: 'XSS probe', body, components: {}, notify: false },
    });
    expect((await json<{ incident_updates: Array<{ body: string }> }>(res)).incident_updates[0]?.body).toBe(body);
  });

  it('describes every route in the OpenAPI document', async () => {
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      await h.call('GET', '/api/admin/openapi.json', { as: null }),
    );
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/components',
        '/incidents/{id}/updates',
        '/maintenance/{id}/start',
        '/tokens',
        '/audit-log',
      ]),
    );
    const create = doc.paths['/incidents']?.post as {
      requestBody: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } };
    };
    expect(Object.keys(create.requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['name', 'impact', 'status', 'body', 'components', 'notify']),
    );
  });

  it('lists every route in docs/api.md, and no route that does not exist', async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
      await h.call('GET', '/api/admin/openapi.json', { as: null }),
    );
    const served = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const markdown = readFileSync(join(import.meta.dirname, '../../../docs/api.md'), 'utf8');
    const documented = [...markdown.matchAll(/^\| `([A-Z]+)` \| `([^`]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    expect(documented).toEqual(served);
  });
});
