import type { ServiceContext } from '../../services/context.ts';
import { pageRequest } from '../../services/paging.ts';
import * as tokens from '../../services/tokens.ts';
import * as users from '../../services/users.ts';
import type { RouteTable } from '../routes.ts';
import * as s from './schemas.ts';

export function teamRoutes(routes: RouteTable, ctx: ServiceContext): void {
  routes.add({ method: 'get', path: '/users', tag: 'Team', role: 'viewer', summary: 'List users', query: s.pageQuery, paged: true,
    handler: ({ actor, query }) => users.listUsers(ctx, actor, pageRequest(query.page, query.per_page)) });
  routes.add({ method: 'post', path: '/users', tag: 'Team', role: 'owner', summary: 'Add a user with a role', body: s.userCreate, status: 201,
    handler: ({ actor, body }) => users.createUser(ctx, actor, body) });
  routes.add({ method: 'patch', path: '/users/:id', tag: 'Team', role: 'owner', summary: "Change a user's name or role", body: s.userPatch,
    handler: ({ actor, body, param }) => users.updateUser(ctx, actor, param('id'), body) });
  routes.add({ method: 'delete', path: '/users/:id', tag: 'Team', role: 'owner', summary: 'Remove a user', status: 204,
    handler: ({ actor, param }) => users.deleteUser(ctx, actor, param('id')) });

  routes.add({ method: 'get', path: '/tokens', tag: 'API tokens', role: 'owner', summary: 'List API tokens (never their secrets)', query: s.pageQuery, paged: true,
    handler: ({ actor, query }) => tokens.listTokens(ctx, actor, pageRequest(query.page, query.per_page)) });
  routes.add({ method: 'post', path: '/tokens', tag: 'API tokens', role: 'owner', summary: 'Create an API token; the secret is in this answer only', body: s.tokenCreate, status: 201,
    handler: ({ actor, body }) => tokens.createToken(ctx, actor, body) });
  routes.add({ method: 'delete', path: '/tokens/:id', tag: 'API tokens', role: 'owner', summary: 'Revoke an API token',
    handler: ({ actor, param }) => tokens.revokeToken(ctx, actor, param('id')) });
}
