import webpush from 'web-push';
import type { PushConfig } from '../config.ts';
import type { Db } from '../db/database.ts';

export type VapidKeys = { publicKey: string; privateKey: string };

/**
 * The page's VAPID key pair: from the environment if given, else made once on first start and
 * kept in the database, so browsers' subscriptions stay valid across restarts.
 */
export async function vapidKeys(db: Db, config: PushConfig): Promise<VapidKeys> {
  if (config.keys) return config.keys;
  const stored = await db
    .selectFrom('settings')
    .select(['vapid_public_key', 'vapid_private_key'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  if (stored.vapid_public_key && stored.vapid_private_key)
    return { publicKey: stored.vapid_public_key, privateKey: stored.vapid_private_key };
  const keys = webpush.generateVAPIDKeys();
  // Only fills empty columns: two processes starting at once agree on one pair.
  await db
    .updateTable('settings')
    .set({ vapid_public_key: keys.publicKey, vapid_private_key: keys.privateKey })
    .where('id', '=', 1)
    .where('vapid_public_key', 'is', null)
    .execute();
  const saved = await db
    .selectFrom('settings')
    .select(['vapid_public_key', 'vapid_private_key'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return {
    publicKey: saved.vapid_public_key ?? keys.publicKey,
    privateKey: saved.vapid_private_key ?? keys.privateKey,
  };
}
