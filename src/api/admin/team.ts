import type { Runtime } from '../../runtime.ts';
import * as invitations from '../../services/invitations.ts';
import { pageRequest } from '../../services/paging.ts';
import * as tokens from '../../services/tokens.ts';
import * as users from '../../services/users.ts';
import type { RouteTable } from '../routes.ts';
import * as s from '../../services/schemas.ts';

export function teamRoutes(routes: RouteTable, runtime: Runtime): void {
  const { ctx } = runtime;
  routes.add({
    method: 'get',
    path: '/users',
    tag: 'Team',
    role: 'viewer',
    summary: 'List users',
    query: s.pageQuery,
    paged: true,
    handler: ({ actor, query }) => users.listUsers(ctx, actor, pageRequest(query.page, query.per_page)),
  });
  routes.add({
    method: 'post',
    path: '/users',
    tag: 'Team',
    role: 'owner',
    summary: 'Add a user with a role',
    body: s.userCreate,
    status: 201,
    handler: ({ actor, body }) => users.createUser(ctx, actor, body),
  });
  routes.add({
    method: 'patch',
    path: '/users/:id',
    tag: 'Team',
    role: 'owner',
    summary: "Change a user's name or role",
    body: s.userPatch,
    handler: ({ actor, body, param }) => users.updateUser(ctx, actor, param('id'), body),
  });
  routes.add({
    method: 'delete',
    path: '/users/:id',
    tag: 'Team',
    role: 'owner',
    summary: 'Remove a user',
    status: 204,
    handler: ({ actor, param }) => users.deleteUser(ctx, actor, param('id')),
  });

  routes.add({
    method: 'get',
    path: '/invitations',
    tag: 'Team',
    role: 'viewer',
    summary: 'Invitations not yet accepted or expired',
    handler: ({ actor }) => invitations.listInvitations(ctx, actor),
  });
  routes.add({
    method: 'post',
    path: '/invitations',
    tag: 'Team',
    role: 'owner',
    summary: 'Invite someone with a role; the link is mailed and in this answer only',
    body: s.invitationCreate,
    status: 201,
    // `mailed` stays for clients of earlier releases: the mail is queued with the invitation.
    handler: async ({ actor, body }) => ({ ...(await invitations.inviteUser(ctx, actor, body)), mailed: true }),
  });
  routes.add({
    method: 'delete',
    path: '/invitations/:id',
    tag: 'Team',
    role: 'owner',
    summary: 'Withdraw an invitation',
    status: 204,
    handler: ({ actor, param }) => invitations.revokeInvitation(ctx, actor, param('id')),
  });

  routes.add({
    method: 'get',
    path: '/tokens',
    tag: 'API tokens',
    role: 'owner',
    summary: 'List API tokens (never their secrets)',
    query: s.pageQuery,
    paged: true,
    handler: ({ actor, query }) => tokens.listTokens(ctx, actor, pageRequest(query.page, query.per_page)),
  });
  routes.add({
    method: 'post',
    path: '/tokens',
    tag: 'API tokens',
    role: 'owner',
    summary: 'Create an API token; the secret is in this answer only',
    body: s.tokenCreate,
    status: 201,
    handler: ({ actor, body }) => tokens.createToken(ctx, actor, body),
  });
  routes.add({
    method: 'delete',
    path: '/tokens/:id',
    tag: 'API tokens',
    role: 'owner',
    summary: 'Revoke an API token',
    handler: ({ actor, param }) => tokens.revokeToken(ctx, actor, param('id')),
  });
}
