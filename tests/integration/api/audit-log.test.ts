import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../../../src/services/actor.ts';
import { readAuditLog } from '../../../src/services/audit.ts';
import { pageRequest } from '../../../src/services/paging.ts';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';

type Entry = {
  action: string;
  target_type: string;
  target_id: string | null;
  target: { name: string; href: string | null; deleted: boolean } | null;
};

describe('the audit log names what each entry acted on', () => {
  let h: Harness;
  const created: Record<string, string> = {};
  const post = async (path: string, body: unknown) => {
    const res = await h.call('POST', `/api/admin${path}`, { body });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return json<{ id: string }>(res);
  };

  beforeAll(async () => {
    h = await startHarness();
    created.component = (await post('/components', { name: 'Checkout API' })).id;
    created.doomed = (await post('/components', { name: 'Legacy FTP' })).id;
    expect((await h.call('DELETE', `/api/admin/components/${created.doomed}`)).status).toBe(204);
    created.group = (await post('/component-groups', { name: 'Core services' })).id;
    created.template = (
      await post('/templates', {
        name: 'First response',
        kind: 'incident',
        status: 'investigating',
        title: 't',
        body: 'b',
      })
    ).id;
    created.incident = (
      await post('/incidents', { name: 'Elevated checkout errors', body: 'Looking.', components: {}, notify: false })
    ).id;
    created.integration = (await post('/integrations', { name: 'Grafana alerts', kind: 'grafana' })).id;
    await post('/subscribers/import', { csv: 'reader@example.com\nleaver@example.org\n' });
    const subscribers = await json<Array<{ id: number; email: string }>>(await h.call('GET', '/api/admin/subscribers'));
    const byEmail = new Map(subscribers.map((s) => [s.email, s.id]));
    const patched = await h.call('PATCH', `/api/admin/subscribers/${byEmail.get('reader@example.com')}`, {
      body: { disabled: true },
    });
    expect(patched.status).toBeLessThan(300);
    expect((await h.call('DELETE', `/api/admin/subscribers/${byEmail.get('leaver@example.org')}`)).status).toBe(204);
  });
  afterAll(() => h.close());

  const log = async () => json<Entry[]>(await h.call('GET', '/api/admin/audit-log?per_page=100', { as: 'viewer' }));
  const targetOf = async (action: string, id?: string) =>
    (await log()).find((e) => e.action === action && (id === undefined || e.target_id === id))?.target;

  it('names incidents with a link to their console page', async () => {
    expect(await targetOf('incident.create', created.incident)).toEqual({
      name: 'Elevated checkout errors',
      href: `/admin/incidents/${created.incident}`,
      deleted: false,
    });
  });

  it('names components, groups, templates, integrations, users and API tokens', async () => {
    expect((await targetOf('component.create', created.component))?.name).toBe('Checkout API');
    expect((await targetOf('group.create', created.group))?.name).toBe('Core services');
    expect((await targetOf('template.create', created.template))?.name).toBe('First response');
    expect((await targetOf('integration.create', created.integration))?.name).toBe('Grafana alerts');
    const entries = await log();
    const user = entries.find((e) => e.target_type === 'user' && e.target_id === h.userIds.editor);
    expect(user?.target?.name).toBe('editor (editor@example.com)');
    const token = entries.find((e) => e.target_type === 'api_token');
    expect(token?.target?.name).toMatch(/^(owner|editor|viewer) token$/);
    expect(entries.some((e) => e.target && e.target.name === e.target_id)).toBe(false);
  });

  it("shows a subscriber's address masked, also to a viewer", async () => {
    const disabled = (await log()).find((e) => e.action === 'subscriber.disable');
    expect(disabled?.target).toEqual({ name: 'r…@example.com', href: '/admin/subscribers', deleted: false });
    expect(JSON.stringify(await log())).not.toContain('reader@example.com');
  });

  it('falls back to the name the entry recorded when the target was deleted', async () => {
    expect(await targetOf('component.delete', created.doomed)).toEqual({
      name: 'Legacy FTP',
      href: null,
      deleted: true,
    });
    expect((await targetOf('subscriber.remove'))?.name).toBe('l…@example.org');
  });

  it('names a whole page of targets with one query per kind of target, however many entries there are', async () => {
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const ctx = { ...h.runtime.ctx, db: h.runtime.ctx.db.withPlugin(counter) };
    const read = async () => {
      queries = 0;
      await readAuditLog(ctx, CLI, {}, pageRequest(1, 100));
      return queries;
    };
    const before = await read();
    for (let i = 0; i < 15; i++) {
      await post('/incidents', { name: `Incident ${i}`, body: 'Looking.', components: {}, notify: false });
      await post('/components', { name: `Component ${i}` });
    }
    expect(await read()).toBe(before);
    // The page, its count, and at most one query for each of the eleven kinds of target.
    expect(before).toBeLessThanOrEqual(2 + 11);
  });
});
