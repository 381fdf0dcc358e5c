import { audienceByComponent, audienceCounts, deliveryCountsByUpdate, failedDeliveriesOf } from '../db/outbox-repo.ts';
import type { SubscriberChannel } from '../db/schema.ts';
import { CHANNEL_LABELS, maskedTarget } from '../domain/channels.ts';
import * as subs from '../db/subscribers-repo.ts';
import { componentIds, type ImportedSubscriber, insertImportedSubscribers } from '../db/subscribers-repo.ts';
import { deleteSubscriber, subscriberById, updateSubscriber } from '../db/subscriptions-repo.ts';
import { sendTestDelivery } from './channel-subscriptions.ts';
import { findIncident } from '../db/incidents-repo.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize } from './authorize.ts';
import { iso, type ServiceContext, write } from './context.ts';
import { readSettings } from './settings.ts';
import { subscriberLanguage } from '../i18n/reader-language.ts';
import { Invalid, NotFound } from './errors.ts';
import { type Page, type PageRequest, pageOf } from './paging.ts';

export type SubscriberView = {
  id: number;
  channel: SubscriberChannel;
  email: string | null;
  push_endpoint_host: string | null;
  /** A webhook's, Slack's or Teams' address, its secret part hidden. */
  target: string | null;
  /** The id of the one incident it follows, if that is its scope. */
  incident_id: string | null;
  ended_at: string | null;
  components: 'all' | string[];
  confirmed_at: string | null;
  disabled_at: string | null;
  disabled_reason: string | null;
  bounce_count: number;
  source: string;
  /** The language their mails and pushes are written in (a code of src/i18n/languages.ts). */
  language: string;
  created_at: string;
};

export type SubscriberCounts = {
  email_confirmed: number;
  email_unconfirmed: number;
  push: number;
  webhook: number;
  slack: number;
  teams: number;
  disabled: number;
};

export async function listSubscribers(
  ctx: ServiceContext,
  actor: Actor,
  filter: { search?: string; channel?: SubscriberChannel; incidentId?: string; id?: number },
  page: PageRequest,
): Promise<Page<SubscriberView> & { counts: SubscriberCounts }> {
  authorize(actor, 'manage_incidents');
  const [{ rows, total }, counts] = await Promise.all([
    subs.subscriberPage(ctx.db, filter, page.perPage, page.offset),
    subscriberCounts(ctx),
  ]);
  const chosen = await subs.chosenComponentsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const views: SubscriberView[] = rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    email: r.email,
    push_endpoint_host: r.push_endpoint ? new URL(r.push_endpoint).host : null,
    target: r.target_url ? maskedTarget(r.target_url) : null,
    incident_id: r.incident_id,
    ended_at: r.ended_at,
    components:
      r.all_components || r.incident_id
        ? 'all'
        : chosen.filter((c) => c.subscriber_id === r.id).map((c) => c.component_id),
    confirmed_at: r.confirmed_at,
    disabled_at: r.disabled_at,
    disabled_reason: r.disabled_reason,
    bounce_count: r.bounce_count,
    source: r.source,
    language: r.language,
    created_at: r.created_at,
  }));
  return { ...pageOf(views, total, page), counts };
}

export async function subscriberCounts(ctx: ServiceContext): Promise<SubscriberCounts> {
  const row = await subs.subscriberCountsRow(ctx.db);
  return {
    email_confirmed: Number(row.email_confirmed ?? 0),
    email_unconfirmed: Number(row.email_unconfirmed ?? 0),
    push: Number(row.push ?? 0),
    webhook: Number(row.webhook ?? 0),
    slack: Number(row.slack ?? 0),
    teams: Number(row.teams ?? 0),
    disabled: Number(row.disabled ?? 0),
  };
}

export type Audience = Record<SubscriberChannel, number> & { total: number };

/**
 * Who an update of these components would reach: those following everything or one of them,
 * and (for an update of an existing incident) those following that incident alone.
 */
export async function audienceOf(
  ctx: ServiceContext,
  componentIds: readonly string[],
  incidentId: string | null = null,
): Promise<Audience> {
  const counts = await audienceCounts(ctx.db, componentIds, incidentId);
  return { ...counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
}

/** Per component, how many an update of it alone would reach. */
export async function audienceByComponentOf(ctx: ServiceContext): Promise<(componentId: string) => number> {
  const { everything, byComponent } = await audienceByComponent(ctx.db);
  return (componentId) => everything + (byComponent.get(componentId) ?? 0);
}

export async function setSubscriberDisabled(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
  disabled: boolean,
): Promise<SubscriberView> {
  authorize(actor, 'manage_incidents');
  await write(ctx, async (trx) => {
    const row = await subscriberById(trx, id);
    if (!row) throw new NotFound(`Subscriber ${id} does not exist`);
    const at = iso(ctx.now());
    await updateSubscriber(trx, id, {
      disabled_at: disabled ? (row.disabled_at ?? at) : null,
      // The manage page shows the reason to the subscriber: the team, not a member's address.
      disabled_reason: disabled ? 'stopped by the page’s team' : null,
      disabled_by_team: disabled ? 1 : 0,
      ...(disabled ? {} : { bounce_count: 0 }),
      updated_at: at,
    });
    await recordAudit(trx, actor, at, {
      action: disabled ? 'subscriber.disable' : 'subscriber.enable',
      targetType: 'subscriber',
      targetId: String(id),
      details: { channel: row.channel },
    });
  });
  const { items } = await listSubscribers(ctx, actor, { id }, { page: 1, perPage: 1, offset: 0 });
  const view = items[0];
  if (!view) throw new NotFound(`Subscriber ${id} does not exist`);
  return view;
}

/** A test message to a webhook, Slack or Teams subscriber, from the console: did it get through? */
export async function testSubscriber(
  ctx: ServiceContext,
  actor: Actor,
  id: number,
): Promise<{ delivered: boolean; error: string | null }> {
  authorize(actor, 'manage_incidents');
  const row = await subscriberById(ctx.db, id);
  if (!row) throw new NotFound(`Subscriber ${id} does not exist`);
  const error = await sendTestDelivery(ctx, row);
  return { delivered: error === null, error };
}

export async function removeSubscriber(ctx: ServiceContext, actor: Actor, id: number): Promise<void> {
  authorize(actor, 'manage_incidents');
  await write(ctx, async (trx) => {
    const row = await subscriberById(trx, id);
    if (!row) throw new NotFound(`Subscriber ${id} does not exist`);
    await deleteSubscriber(trx, id);
    await recordAudit(trx, actor, iso(ctx.now()), {
      action: 'subscriber.remove',
      targetType: 'subscriber',
      targetId: String(id),
      details: { email: row.email, channel: row.channel },
    });
  });
}

const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** email,components,confirmed_at,created_at — components is "all" or component ids separated by spaces. */
export async function exportSubscribersCsv(ctx: ServiceContext, actor: Actor): Promise<string> {
  authorize(actor, 'manage_incidents');
  const rows = await subs.emailSubscriberRows(ctx.db);
  const chosen = await subs.chosenComponentsOf(ctx.db, null);
  const bySubscriber = new Map<number, string[]>();
  for (const c of chosen)
    bySubscriber.set(c.subscriber_id, [...(bySubscriber.get(c.subscriber_id) ?? []), c.component_id]);
  const lines = ['email,components,confirmed_at,created_at'];
  for (const r of rows) {
    lines.push(
      [
        r.email ?? '',
        r.all_components ? 'all' : (bySubscriber.get(r.id) ?? []).join(' '),
        r.confirmed_at ?? '',
        r.created_at,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

const EMAIL = /^[^\s@",]+@[^\s@",]+\.[^\s@",]+$/;

/** Rows a statement while importing: many rows an insert, few enough to stay small in memory. */
const IMPORT_CHUNK = 500;

/** Each non-empty line of a CSV text, trimmed, with its line number: read in place, no array of lines. */
function* csvLines(csv: string): Generator<{ line: string; number: number }> {
  let number = 0;
  for (let start = 0; start <= csv.length;) {
    let end = csv.indexOf('\n', start);
    if (end === -1) end = csv.length;
    number++;
    const line = csv.slice(start, end).trim();
    if (line) yield { line, number };
    start = end + 1;
  }
}

function parseImportLine(line: string): ImportedSubscriber & { emailCell: string } {
  const comma = line.indexOf(',');
  const cell = (s: string) => s.trim().replace(/^"|"$/g, '');
  const emailCell = cell(comma === -1 ? line : line.slice(0, comma));
  const componentsCell = comma === -1 ? 'all' : cell(line.slice(comma + 1).split(',')[0] ?? '');
  return {
    emailCell,
    email: emailCell.toLowerCase(),
    components: componentsCell === '' || componentsCell === 'all' ? 'all' : componentsCell.split(/\s+/),
  };
}

/**
 * Imports confirmed subscribers from CSV (email[,components]): people who already opted in
 * elsewhere, so no confirmation mail. Existing addresses are left as they are. All or nothing: a
 * bad line rolls the whole import back. Read line by line and written a chunk at a time, so a
 * large file costs no more memory than its text.
 */
export async function importSubscribersCsv(
  ctx: ServiceContext,
  actor: Actor,
  csv: string,
): Promise<{ imported: number; skipped: number }> {
  authorize(actor, 'manage_incidents');
  return write(ctx, async (trx) => {
    const known = await componentIds(trx);
    const at = iso(ctx.now());
    // No page was read to subscribe: they are written to in the page's default language.
    const language = subscriberLanguage(null, await readSettings(trx));
    const invalid: Array<{ field: string; message: string }> = [];
    const unknown: Array<{ field: string; message: string }> = [];
    let invalidCount = 0;
    let rows = 0;
    let imported = 0;
    let chunk: ImportedSubscriber[] = [];
    let first = true;
    for (const { line, number } of csvLines(csv)) {
      if (first && line.toLowerCase().startsWith('email')) {
        first = false;
        continue;
      }
      first = false;
      const row = parseImportLine(line);
      if (!EMAIL.test(row.email)) {
        invalidCount++;
        if (invalid.length < 50)
          invalid.push({ field: `line ${number}`, message: `"${row.emailCell}" is not an email address` });
      }
      if (row.components !== 'all')
        for (const c of row.components)
          if (!known.has(c) && unknown.length < 50)
            unknown.push({ field: `line ${number}`, message: `no component ${c}` });
      rows++;
      if (invalidCount > 0 || unknown.length > 0) continue;
      chunk.push({ email: row.email, components: row.components });
      if (chunk.length >= IMPORT_CHUNK) {
        imported += await insertImportedSubscribers(trx, chunk, at, language);
        chunk = [];
      }
    }
    if (invalidCount) throw new Invalid(`The CSV has ${invalidCount} invalid line(s); nothing was imported`, invalid);
    if (unknown.length) throw new Invalid('The CSV names unknown components; nothing was imported', unknown);
    imported += await insertImportedSubscribers(trx, chunk, at, language);
    await recordAudit(trx, actor, at, {
      action: 'subscriber.import',
      targetType: 'subscriber',
      targetId: null,
      details: { imported, skipped: rows - imported },
    });
    return { imported, skipped: rows - imported };
  });
}

/** Sent, pending and failed deliveries for each notifying update of an incident. */
export async function deliveryFigures(ctx: ServiceContext, actor: Actor, incidentId: string) {
  authorize(actor, 'read');
  const incident = await findIncident(ctx.db, incidentId);
  if (!incident) throw new NotFound(`Incident ${incidentId} does not exist`);
  const counts = await deliveryCountsByUpdate(ctx.db, incidentId);
  return [...counts.entries()].map(([updateId, c]) => ({ update_id: updateId, ...c }));
}

export type FailedDeliveryView = {
  update_id: string | null;
  channel: SubscriberChannel;
  recipient: string;
  attempts: number;
  error: string;
};

/** The most failed deliveries listed for one incident; the figures above count them all. */
export const MAX_FAILED_LISTED = 200;

/**
 * Who did not get an update, and why, for the lead to follow up. Editors only, like the
 * subscriber list: the addresses are personal data. A push endpoint is a secret capability, so
 * only its push service is named.
 */
export async function failedDeliveries(
  ctx: ServiceContext,
  actor: Actor,
  incidentId: string,
): Promise<FailedDeliveryView[]> {
  authorize(actor, 'manage_incidents');
  const incident = await findIncident(ctx.db, incidentId);
  if (!incident) throw new NotFound(`Incident ${incidentId} does not exist`);
  const rows = await failedDeliveriesOf(ctx.db, incidentId, MAX_FAILED_LISTED);
  return rows.map((r) => ({
    update_id: r.update_id,
    channel: r.channel,
    recipient:
      r.channel === 'email'
        ? (r.email ?? 'an address since removed')
        : r.channel === 'push'
          ? `a browser, through ${pushService(r.push_endpoint)}`
          : `${CHANNEL_LABELS[r.channel]} ${r.target_url ? maskedTarget(r.target_url) : 'an address since removed'}`,
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
