import type { Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { Publisher } from './publisher.ts';
import type { ChannelProbe } from './channel-probe.ts';

export type Trx = Transaction<Database>;

export type ServiceContext = {
  db: Db;
  now: () => Date;
  publisher: Publisher;
  /** The public address Herald answers on when the settings name none: links in mails need it. */
  baseUrl: string;
  /** Reaches webhook, Slack and Teams endpoints when they subscribe (absent: those channels are off). */
  probe?: ChannelProbe;
};

/**
 * Runs a use case in one transaction and tells the public site what changed only once the
 * transaction has committed, so no reader ever sees a page built from a rolled-back write.
 */
export async function write<T>(
  ctx: ServiceContext,
  work: (trx: Trx, touch: (...tags: string[]) => void) => Promise<T>,
): Promise<T> {
  const tags = new Set<string>();
  const result = await ctx.db.transaction().execute((trx) => work(trx, (...t) => t.forEach((tag) => tags.add(tag))));
  ctx.publisher.publish(tags);
  return result;
}

export function iso(date: Date): string {
  return date.toISOString();
}
