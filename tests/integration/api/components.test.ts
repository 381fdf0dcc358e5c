import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness } from '../../helpers/harness.ts';

type Component = {
  id: string;
  name: string;
  description: string | null;
  group_id: string | null;
  position: number;
  status: string;
  hidden: number;
};

describe('components and groups through the admin API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('creates a component with Statuspage field names and answers with its id', async () => {
    const res = await h.call('POST', '/api/admin/components', {
      body: { name: 'API', description: 'Public REST API' },
    });
    expect(res.status).toBe(201);
    const component = await json<Component>(res);
    expect(component).toMatchObject({
      name: 'API',
      description: 'Public REST API',
      group_id: null,
      position: 0,
      status: 'operational',
    });
    expect(component.id).toMatch(/^[a-z2-9]{12}$/);
  });

  it('puts components into a group, lists them in order and reorders them', async () => {
    const group = await json<{ id: string }>(
      await h.call('POST', '/api/admin/component-groups', { body: { name: 'Core' } }),
    );
    const a = await json<Component>(
      await h.call('POST', '/api/admin/components', { body: { name: 'Web', group_id: group.id } }),
    );
    const b = await json<Component>(
      await h.call('POST', '/api/admin/components', { body: { name: 'Jobs', group_id: group.id } }),
    );
    const all = await json<Component[]>(await h.call('GET', '/api/admin/components'));
    const order = all.map((c) => c.id).reverse();
    const res = await h.call('PUT', '/api/admin/components/order', { body: { order } });
    expect(res.status).toBe(200);
    expect((await json<Component[]>(res)).map((c) => c.id)).toEqual(order);
    expect(a.group_id).toBe(group.id);
    expect(b.position).toBeGreaterThan(a.position);
  });

  it('refuses an order that leaves a component out', async () => {
    const all = await json<Component[]>(await h.call('GET', '/api/admin/components'));
    const res = await h.call('PUT', '/api/admin/components/order', { body: { order: all.slice(1).map((c) => c.id) } });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('records every status change in the component history with who made it', async () => {
    const c = await json<Component>(await h.call('POST', '/api/admin/components', { body: { name: 'DNS' } }));
    h.clock.advance(60_000);
    expect(
      (
        await h.call('PATCH', `/api/admin/components/${c.id}`, {
          as: 'editor',
          body: { status: 'degraded_performance' },
        })
      ).status,
    ).toBe(200);
    const res = await h.call('GET', `/api/admin/components/${c.id}/history`, { as: 'viewer' });
    expect(res.headers.get('x-total-count')).toBe('2');
    const history = await json<Array<{ from_status: string | null; to_status: string; actor_label: string }>>(res);
    expect(history[0]).toMatchObject({
      from_status: 'operational',
      to_status: 'degraded_performance',
      actor_label: 'editor@example.com (token editor token)',
    });
    expect(history[1]).toMatchObject({ from_status: null, to_status: 'operational' });
  });

  it('lets an editor change a status but not rename a component', async () => {
    const c = await json<Component>(await h.call('POST', '/api/admin/components', { body: { name: 'CDN' } }));
    const res = await h.call('PATCH', `/api/admin/components/${c.id}`, { as: 'editor', body: { name: 'Edge' } });
    expect(res.status).toBe(403);
    expect((await json(res)).detail).toMatch(/editor role cannot manage components/);
  });

  it('deletes a group and keeps its components at the top level', async () => {
    const group = await json<{ id: string }>(
      await h.call('POST', '/api/admin/component-groups', { body: { name: 'Temporary' } }),
    );
    const c = await json<Component>(
      await h.call('POST', '/api/admin/components', { body: { name: 'Mail', group_id: group.id } }),
    );
    expect((await h.call('DELETE', `/api/admin/component-groups/${group.id}`)).status).toBe(204);
    expect((await json<Component>(await h.call('GET', `/api/admin/components/${c.id}`))).group_id).toBeNull();
  });

  it('deletes a component and then answers 404 for it', async () => {
    const c = await json<Component>(await h.call('POST', '/api/admin/components', { body: { name: 'Legacy' } }));
    expect((await h.call('DELETE', `/api/admin/components/${c.id}`)).status).toBe(204);
    const res = await h.call('GET', `/api/admin/components/${c.id}`);
    expect(res.status).toBe(404);
    expect((await json(res)).detail).toBe(`Component ${c.id} does not exist`);
  });

  it('writes an audit row for every change', async () => {
    const res = await h.call('GET', '/api/admin/audit-log?action=component.&per_page=100', { as: 'viewer' });
    const actions = (await json<Array<{ action: string }>>(res)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['component.create', 'component.update', 'component.delete', 'component.reorder']),
    );
  });
});
