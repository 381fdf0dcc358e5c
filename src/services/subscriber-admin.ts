import { audienceByComponent, audienceCounts, deliveryCountsByUpdate, failedDeliveriesOf } from '../db/outbox-repo.ts';
import type { SubscriberChannel } from '../db/schema.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, write } from './context.ts';
import { Invalid, NotFound } from './errors.ts';
import { type Page, type PageRequest, pageOf } from './paging.ts';

export type SubscriberView = {
  id: number;
  channel: 'email' | 'push';
  email: string | null;
  push_endpoint_host: string | null;
  components: 'all' | string[];
  confirmed_at: string | null;
  disabled_at: string | null;
  bounce_count: number;
  source: string;
  created_at: string;
};

export type SubscriberCounts = { email_confirmed: number; email_unconfirmed: number; push: number; disabled: number };

export async function listSubscribers(
  ctx: ServiceContext,
  actor: Actor,
  filter: { search?: string; channel?: 'email' | 'push' },
  page: PageRequest,
): Promise<Page<SubscriberView> & { counts: SubscriberCounts }> {
  authorize(actor, 'manage_incidents');
  let query = ctx.db.selectFrom('subscribers');
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.search) query = query.where('email', 'like', `%${filter.search.replace(/[%_\\]/g, '')}%`);
  const [rows, total, counts] = await Promise.all([
    query.selectAll().orderBy('id', 'desc').limit(page.perPage).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    subscriberCounts(ctx),
  ]);
  const chosen = await ctx.db
    .selectFrom('subscriber_components')
    .select(['subscriber_id', 'component_id'])
    .where('subscriber_id', 'in', rows.length ? rows.map((r) => r.id) : [-1])
    .execute();
  const views: SubscriberView[] = rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    email: r.email,
    push_endpoint_host: r.push_endpoint ? new URL(r.push_endpoint).host : null,
    components: r.all_components ? 'all' : chosen.filter((c) => c.subscriber_id === r.id).map((c) => c.component_id),
    confirmed_at: r.confirmed_at,
    disabled_at: r.disabled_at,
    bounce_count: r.bounce_count,
    source: r.source,
    created_at: r.created_at,
  }));
  return { ...pageOf(views, Number(total.n), page), counts };
}

export async function subscriberCounts(ctx: ServiceContext): Promise<SubscriberCounts> {
  const row = await ctx.db
    .selectFrom('subscribers')
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when(eb.and([eb('channel', '=', 'email'), eb('confirmed_at', 'is not', null), eb('disabled_at', 'is', null)])).then(1).else(0).end()).as('email_confirmed'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('channel', '=', 'email'), eb('confirmed_at', 'is', null)])).then(1).else(0).end()).as('email_unconfirmed'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('channel', '=', 'push'), eb('disabled_at', 'is', null)])).then(1).else(0).end()).as('push'),
      eb.fn.sum<number>(eb.case().when('disabled_at', 'is not', null).then(1).else(0).end()).as('disabled'),
    ])
    .executeTakeFirstOrThrow();
  return { email_confirmed: Number(row.email_confirmed ?? 0), email_unconfirmed: Number(row.email_unconfirmed ?? 0), push: Number(row.push ?? 0), disabled: Number(row.disabled ?? 0) };
}

/** Who an update of these components would reach: those following everything or one of them. */
export async function audienceOf(ctx: ServiceContext, componentIds: readonly string[]): Promise<{ email: number; push: number; total: number }> {
  const counts = await audienceCounts(ctx.db, componentIds);
  return { ...counts, total: counts.email + counts.push };
}

/** Per component, how many an update of it alone would reach. */
export async function audienceByComponentOf(ctx: ServiceContext): Promise<(componentId: string) => number> {
  const { everything, byComponent } = await audienceByComponent(ctx.db);
  return (componentId) => everything + (byComponent.get(componentId) ?? 0);
}

export async function removeSubscriber(ctx: ServiceContext, actor: Actor, id: number): Promise<void> {
  authorize(actor, 'manage_incidents');
  await write(ctx, async (trx) => {
    const row = await trx.selectFrom('subscribers').select(['email', 'channel']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFound(`Subscriber ${id} does not exist`);
    await trx.deleteFrom('subscribers').where('id', '=', id).execute();
    await recordAudit(trx, actor, iso(ctx.now()), { action: 'subscriber.remove', targetType: 'subscriber', targetId: String(id), details: { email: row.email, channel: row.channel } });
  });
}

const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** email,components,confirmed_at,created_at — components is "all" or component ids separated by spaces. */
export async function exportSubscribersCsv(ctx: ServiceContext, actor: Actor): Promise<string> {
  authorize(actor, 'manage_incidents');
  const rows = await ctx.db.selectFrom('subscribers').selectAll().where('channel', '=', 'email').orderBy('id').execute();
  const chosen = await ctx.db.selectFrom('subscriber_components').select(['subscriber_id', 'component_id']).execute();
  const bySubscriber = new Map<number, string[]>();
  for (const c of chosen) bySubscriber.set(c.subscriber_id, [...(bySubscriber.get(c.subscriber_id) ?? []), c.component_id]);
  const lines = ['email,components,confirmed_at,created_at'];
  for (const r of rows) {
    lines.push([r.email ?? '', r.all_components ? 'all' : (bySubscriber.get(r.id) ?? []).join(' '), r.confirmed_at ?? '', r.created_at].map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

const EMAIL = /^[^\s@",]+@[^\s@",]+\.[^\s@",]+$/;

/**
 * Imports confirmed subscribers from CSV (email[,components]): people who already opted in
 * elsewhere, so no confirmation mail. Existing addresses are left as they are. All or nothing.
 */
export async function importSubscribersCsv(ctx: ServiceContext, actor: Actor, csv: string): Promise<{ imported: number; skipped: number }> {
  authorize(actor, 'manage_incidents');
  const lines = csv.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines[0]?.toLowerCase().startsWith('email')) lines.shift();
  const errors: Array<{ field: string; message: string }> = [];
  const parsed = lines.map((line, i) => {
    const [emailCell = '', componentsCell = 'all'] = line.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    const email = emailCell.toLowerCase();
    if (!EMAIL.test(email)) errors.push({ field: `line ${i + 2}`, message: `"${emailCell}" is not an email address` });
    const components: string[] | 'all' = componentsCell === '' || componentsCell === 'all' ? 'all' : componentsCell.split(/\s+/);
    return { email, components };
  });
  if (errors.length) throw new Invalid(`The CSV has ${errors.length} invalid line(s); nothing was imported`, errors.slice(0, 50));
  return write(ctx, async (trx) => {
    const known = new Set((await trx.selectFrom('components').select('id').execute()).map((c) => c.id));
    const unknown = parsed.flatMap((p, i) => (p.components === 'all' ? [] : p.components.filter((c) => !known.has(c)).map((c) => ({ field: `line ${i + 2}`, message: `no component ${c}` }))));
    if (unknown.length) throw new Invalid('The CSV names unknown components; nothing was imported', unknown.slice(0, 50));
    const at = iso(ctx.now());
    let imported = 0;
    // Many rows a statement: a hundred thousand single inserts cost seconds and lots of memory.
    for (let start = 0; start < parsed.length; start += 500) {
      const chunk = parsed.slice(start, start + 500);
      const inserted = await trx
        .insertInto('subscribers')
        .values(
          chunk.map((row) => ({
            channel: 'email' as const, email: row.email, all_components: row.components === 'all' ? (1 as const) : (0 as const), confirmed_at: at, source: 'import' as const,
            confirm_token_hash: null, confirm_expires_at: null, confirm_sent_at: null, disabled_at: null, push_endpoint: null, push_p256dh: null, push_auth: null,
            created_at: at, updated_at: at,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .returning(['id', 'email'])
        .execute();
      imported += inserted.length;
      const idOf = new Map(inserted.map((r) => [r.email, r.id]));
      const links = chunk.flatMap((row) => {
        const id = idOf.get(row.email);
        return id === undefined || row.components === 'all' ? [] : row.components.map((component_id) => ({ subscriber_id: id, component_id }));
      });
      if (links.length) await trx.insertInto('subscriber_components').values(links).onConflict((oc) => oc.doNothing()).execute();
    }
    await recordAudit(trx, actor, at, { action: 'subscriber.import', targetType: 'subscriber', targetId: null, details: { imported, skipped: parsed.length - imported } });
    return { imported, skipped: parsed.length - imported };
  });
}

/** Sent, pending and failed deliveries for each notifying update of an incident. */
export async function deliveryFigures(ctx: ServiceContext, actor: Actor, incidentId: string) {
  authorize(actor, 'read');
  const incident = await ctx.db.selectFrom('incidents').select('id').where('id', '=', incidentId).executeTakeFirst();
  if (!incident) throw new NotFound(`Incident ${incidentId} does not exist`);
  const counts = await deliveryCountsByUpdate(ctx.db, incidentId);
  return [...counts.entries()].map(([updateId, c]) => ({ update_id: updateId, ...c }));
}

export type FailedDeliveryView = { update_id: string | null; channel: SubscriberChannel; recipient: string; attempts: number; error: string };

/** The most failed deliveries listed for one incident; the figures above count them all. */
export const MAX_FAILED_LISTED = 200;

/**
 * Who did not get an update, and why, for the lead to follow up. Editors only, like the
 * subscriber list: the addresses are personal data. A push endpoint is a secret capability, so
 * only its push service is named.
 */
export async function failedDeliveries(ctx: ServiceContext, actor: Actor, incidentId: string): Promise<FailedDeliveryView[]> {
  authorize(actor, 'manage_incidents');
  const incident = await ctx.db.selectFrom('incidents').select('id').where('id', '=', incidentId).executeTakeFirst();
  if (!incident) throw new NotFound(`Incident ${incidentId} does not exist`);
  const rows = await failedDeliveriesOf(ctx.db, incidentId, MAX_FAILED_LISTED);
  return rows.map((r) => ({
    update_id: r.update_id,
    channel: r.channel,
    recipient: r.channel === 'email' ? (r.email ?? 'an address since removed') : `a browser, through ${pushService(r.push_endpoint)}`,
    attempts: r.attempts,
    error: r.last_error ?? 'no reason recorded',
  }));
}

function pushService(endpoint: string | null): string {
  try {
    return endpoint ? new URL(endpoint).host : 'its push service';
  } catch {
    return 'its push service';
  }
}
