import { type Kysely, sql } from 'kysely';
import type { Impact } from '../domain/incident.ts';
import type { Database, Stakeholder, StakeholderMessage } from './schema.ts';

type Q = Kysely<Database>;

export function listStakeholders(q: Q): Promise<Stakeholder[]> {
  return q
    .selectFrom('stakeholders')
    .selectAll()
    .where('removed_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export function stakeholderById(q: Q, id: number): Promise<Stakeholder | undefined> {
  return q
    .selectFrom('stakeholders')
    .selectAll()
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
}

/** Those who hear about incidents of this impact (impacts is a comma list). */
export function stakeholdersFor(q: Q, impact: Impact): Promise<Stakeholder[]> {
  return q
    .selectFrom('stakeholders')
    .selectAll()
    .where('removed_at', 'is', null)
    .where(sql<string>`',' || impacts || ','`, 'like', `%,${impact},%`)
    .orderBy('id')
    .execute();
}

export async function insertStakeholder(
  q: Q,
  row: Pick<Stakeholder, 'name' | 'channel' | 'target' | 'impacts' | 'created_at' | 'updated_at'>,
): Promise<number> {
  const inserted = await q.insertInto('stakeholders').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateStakeholder(
  q: Q,
  id: number,
  patch: Partial<Pick<Stakeholder, 'name' | 'target' | 'impacts'>> & { updated_at: string },
): Promise<void> {
  await q.updateTable('stakeholders').set(patch).where('id', '=', id).execute();
}

/**
 * Removed, not deleted: what they were told stays on record ("who was told"); what was still
 * waiting to go to them is given up.
 */
export async function deleteStakeholder(q: Q, id: number, at: string): Promise<void> {
  await q.updateTable('stakeholders').set({ removed_at: at, updated_at: at }).where('id', '=', id).execute();
  await q
    .updateTable('stakeholder_messages')
    .set({ failed_at: at, next_attempt_at: null, last_error: 'the recipient was removed' })
    .where('stakeholder_id', '=', id)
    .where('next_attempt_at', 'is not', null)
    .execute();
}

/** Queues one message; due at once. */
export async function insertStakeholderMessages(
  q: Q,
  rows: ReadonlyArray<{ stakeholder_id: number; incident_id: string; event: string; payload: string; at: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await q
    .insertInto('stakeholder_messages')
    .values(
      rows.map((r) => ({
        stakeholder_id: r.stakeholder_id,
        incident_id: r.incident_id,
        event: r.event,
        payload: r.payload,
        created_at: r.at,
        next_attempt_at: r.at,
        last_error: null,
        sent_at: null,
        failed_at: null,
      })),
    )
    .execute();
}

export type MessageWithRecipient = StakeholderMessage & Pick<Stakeholder, 'name' | 'channel' | 'target'>;

/** Who was told what about an incident, newest first. */
export function messagesOfIncident(q: Q, incidentId: string, limit: number): Promise<MessageWithRecipient[]> {
  return q
    .selectFrom('stakeholder_messages')
    .innerJoin('stakeholders', 'stakeholders.id', 'stakeholder_messages.stakeholder_id')
    .selectAll('stakeholder_messages')
    .select(['stakeholders.name', 'stakeholders.channel', 'stakeholders.target'])
    .where('stakeholder_messages.incident_id', '=', incidentId)
    .orderBy('stakeholder_messages.created_at', 'desc')
    .orderBy('stakeholder_messages.id', 'desc')
    .limit(limit)
    .execute();
}

/** Messages due now, oldest first, with where they go. */
export function dueMessages(q: Q, now: string, limit: number): Promise<MessageWithRecipient[]> {
  return q
    .selectFrom('stakeholder_messages')
    .innerJoin('stakeholders', 'stakeholders.id', 'stakeholder_messages.stakeholder_id')
    .selectAll('stakeholder_messages')
    .select(['stakeholders.name', 'stakeholders.channel', 'stakeholders.target'])
    .where('stakeholder_messages.next_attempt_at', '<=', now)
    .orderBy('stakeholder_messages.next_attempt_at')
    .orderBy('stakeholder_messages.id')
    .limit(limit)
    .execute();
}

/**
 * Takes a due message for one send: its next attempt moves to `leaseUntil` (where a crashed
 * sender's message becomes due again) and the attempt is counted. False when another sender took it.
 */
export async function claimMessage(
  q: Q,
  message: { id: number; next_attempt_at: string },
  leaseUntil: string,
): Promise<boolean> {
  const result = await q
    .updateTable('stakeholder_messages')
    .set((eb) => ({ next_attempt_at: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', message.id)
    .where('next_attempt_at', '=', message.next_attempt_at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markMessageSent(q: Q, id: number, at: string): Promise<void> {
  await q
    .updateTable('stakeholder_messages')
    .set({ sent_at: at, next_attempt_at: null, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function retryMessageAt(q: Q, id: number, at: string, error: string): Promise<void> {
  await q
    .updateTable('stakeholder_messages')
    .set({ next_attempt_at: at, last_error: error })
    .where('id', '=', id)
    .execute();
}

export async function markMessageFailed(q: Q, id: number, at: string, error: string): Promise<void> {
  await q
    .updateTable('stakeholder_messages')
    .set({ failed_at: at, next_attempt_at: null, last_error: error })
    .where('id', '=', id)
    .execute();
}

export async function nextMessageDueAt(q: Q): Promise<string | null> {
  const row = await q
    .selectFrom('stakeholder_messages')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .executeTakeFirst();
  return row?.at ?? null;
}

/**
 * The incident's newest stakeholder-facing event: a public update (its opening and resolution
 * included), an internal note, or a message to the stakeholders.
 */
export async function lastStakeholderEventAt(q: Q, incidentId: string): Promise<string | null> {
  // One after another: inside a transaction the three share its connection.
  const update = await q
    .selectFrom('incident_updates')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  const note = await q
    .selectFrom('incident_log')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('incident_id', '=', incidentId)
    .where('kind', '=', 'note')
    .executeTakeFirst();
  const message = await q
    .selectFrom('stakeholder_messages')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  const times = [update?.at, note?.at, message?.at].filter((t): t is string => typeof t === 'string');
  return times.length === 0 ? null : times.reduce((a, b) => (a > b ? a : b));
}
