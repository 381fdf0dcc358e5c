import type { Kysely } from 'kysely';
import type { Database, Invitation } from './schema.ts';

type Q = Kysely<Database>;

/** A new invitation to an address replaces any earlier one to it. */
export async function replaceInvitation(q: Q, invitation: Invitation): Promise<void> {
  await q.deleteFrom('invitations').where('email', '=', invitation.email).execute();
  await q.insertInto('invitations').values(invitation).execute();
}

export function openInvitations(q: Q, now: string): Promise<Invitation[]> {
  return q.selectFrom('invitations').selectAll().where('expires_at', '>', now).orderBy('created_at', 'desc').execute();
}

export function invitationById(q: Q, id: string): Promise<Invitation | undefined> {
  return q.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function invitationByTokenHash(q: Q, hash: string): Promise<Invitation | undefined> {
  return q.selectFrom('invitations').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

export async function deleteInvitation(q: Q, id: string): Promise<void> {
  await q.deleteFrom('invitations').where('id', '=', id).execute();
}
