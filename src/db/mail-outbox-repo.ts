import type { Kysely } from 'kysely';
import type { Database, MailKind, QueuedMail } from './schema.ts';

type Q = Kysely<Database>;

export async function queueMail(
  q: Q,
  mail: { kind: MailKind; to: string; payload: unknown; at: string },
): Promise<void> {
  await q
    .insertInto('mail_outbox')
    .values({
      kind: mail.kind,
      to_address: mail.to,
      payload: JSON.stringify(mail.payload),
      created_at: mail.at,
      next_attempt_at: mail.at,
      last_error: null,
    })
    .execute();
}

export function dueMails(q: Q, now: string, limit: number): Promise<QueuedMail[]> {
  return q
    .selectFrom('mail_outbox')
    .selectAll()
    .where('next_attempt_at', '<=', now)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function nextMailDueAt(q: Q): Promise<string | null> {
  const row = await q
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .executeTakeFirst();
  return row?.at ?? null;
}

export async function deleteMail(q: Q, id: number): Promise<void> {
  await q.deleteFrom('mail_outbox').where('id', '=', id).execute();
}

/** Drops a mail that will never go; a subscription mail frees its address's hourly allowance. */
export async function giveUpMail(q: Q, mail: { id: number; to: string; subscription: boolean }): Promise<void> {
  await q.transaction().execute(async (trx) => {
    await trx.deleteFrom('mail_outbox').where('id', '=', mail.id).execute();
    if (mail.subscription)
      await trx.updateTable('subscribers').set({ confirm_sent_at: null }).where('email', '=', mail.to).execute();
  });
}

/** What a manage link and its mail need of a subscriber: the link version, and their language. */
export function linkVersionOf(
  q: Q,
  subscriberId: number,
): Promise<{ id: number; link_version: number; language: string } | undefined> {
  return q
    .selectFrom('subscribers')
    .select(['id', 'link_version', 'language'])
    .where('id', '=', subscriberId)
    .executeTakeFirst();
}

export async function retryMailAt(q: Q, id: number, at: string, error: string): Promise<void> {
  await q
    .updateTable('mail_outbox')
    .set((eb) => ({ next_attempt_at: at, last_error: error, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}
