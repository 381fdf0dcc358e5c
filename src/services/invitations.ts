import type { Invitation } from '../db/schema.ts';
import * as invitationsRepo from '../db/invitations-repo.ts';
import * as repo from '../db/users-repo.ts';
import type { Role } from '../domain/roles.ts';
import { newId, newSecret, sha256 } from '../lib/ids.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize, requireRecentSignIn } from './authorize.ts';
import { iso, type ServiceContext, write } from './context.ts';
import { Conflict, Forbidden, NotFound } from './errors.ts';
import { checkPassword, insertUser, type UserView, userView } from './users.ts';
import { readSettings } from './settings.ts';
import { invitationLink, queueMail } from './transactional-mail.ts';
import { publicBase } from '../domain/public-link.ts';

/** A week: long enough to reach someone on leave, short enough that a lost link dies. */
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

export type InvitationView = Omit<Invitation, 'token_hash'>;

function invitationView({ token_hash: _hash, ...view }: Invitation): InvitationView {
  return view;
}

/**
 * The invitee chooses their own password from a one-time link, so the owner never knows it. The
 * secret is returned here once; a new invitation to the same address replaces the old one.
 */
export async function inviteUser(
  ctx: ServiceContext,
  actor: Actor,
  input: { email: string; role: Role },
): Promise<InvitationView & { link: string }> {
  authorize(actor, 'manage_page');
  requireRecentSignIn(actor, ctx.now());
  const email = input.email.trim().toLowerCase();
  return write(ctx, async (trx, touch) => {
    if (await repo.findUserByEmail(trx, email)) throw new Conflict(`${email} is already on the team`);
    const secret = newSecret();
    const now = ctx.now();
    const invitation: Invitation = {
      id: newId(),
      token_hash: sha256(secret),
      email,
      role: input.role,
      invited_by: actor.kind === 'user' ? actor.userId : null,
      created_at: iso(now),
      expires_at: iso(new Date(now.getTime() + INVITATION_TTL_MS)),
    };
    await invitationsRepo.replaceInvitation(trx, invitation);
    await recordAudit(trx, actor, invitation.created_at, {
      action: 'user.invite',
      targetType: 'invitation',
      targetId: invitation.id,
      details: { email, role: input.role },
    });
    // The invitation names its sender as a person: their name, whether they used the console or a token.
    const inviter = actor.kind === 'user' ? await repo.findUser(trx, actor.userId) : undefined;
    const invitedBy = inviter ? inviter.name || inviter.email : 'The page owner';
    await queueMail(
      trx,
      touch,
      { kind: 'invitation', to: email, token: secret, role: input.role, invitedBy },
      invitation.created_at,
    );
    const { base_url } = await readSettings(trx);
    return { ...invitationView(invitation), link: invitationLink(publicBase(base_url, ctx.baseUrl), secret) };
  });
}

export async function listInvitations(ctx: ServiceContext, actor: Actor): Promise<InvitationView[]> {
  authorize(actor, 'read');
  const rows = await invitationsRepo.openInvitations(ctx.db, iso(ctx.now()));
  return rows.map(invitationView);
}

export async function revokeInvitation(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'manage_page');
  await write(ctx, async (trx) => {
    const row = await invitationsRepo.invitationById(trx, id);
    if (!row) throw new NotFound(`Invitation ${id} does not exist`);
    await invitationsRepo.deleteInvitation(trx, id);
    await recordAudit(trx, actor, iso(ctx.now()), {
      action: 'user.invite_revoke',
      targetType: 'invitation',
      targetId: id,
      details: { email: row.email },
    });
  });
}

/** What the invitation page shows before the invitee sets a password; null when dead. */
export async function openInvitation(
  ctx: ServiceContext,
  secret: string,
): Promise<Pick<Invitation, 'email' | 'role'> | null> {
  const row = await invitationsRepo.invitationByTokenHash(ctx.db, sha256(secret));
  return row && Date.parse(row.expires_at) > ctx.now().getTime() ? { email: row.email, role: row.role } : null;
}

export async function acceptInvitation(
  ctx: ServiceContext,
  secret: string,
  input: { name: string; password: string },
): Promise<UserView> {
  checkPassword(input.password);
  return userView(
    await write(ctx, async (trx) => {
      const row = await invitationsRepo.invitationByTokenHash(trx, sha256(secret));
      if (!row || Date.parse(row.expires_at) <= ctx.now().getTime()) {
        throw new Forbidden('This invitation is no longer valid; ask the page owner for a new one');
      }
      await invitationsRepo.deleteInvitation(trx, row.id);
      const actor: Actor = { kind: 'system', label: `invitation ${row.id}` };
      return insertUser(
        trx,
        actor,
        { email: row.email, name: input.name, role: row.role, password: input.password },
        iso(ctx.now()),
      );
    }),
  );
}
