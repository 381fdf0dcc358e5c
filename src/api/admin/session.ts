import type { HeraldLucia } from '../../auth/lucia.ts';
import type { ServiceContext } from '../../services/context.ts';
import * as sessions from '../../services/sessions.ts';
import * as users from '../../services/users.ts';
import { clientAddress, type TrustProxy } from '../../http/client-address.ts';
import type { RouteTable } from '../routes.ts';
import * as s from '../../services/schemas.ts';

export function sessionRoutes(
  routes: RouteTable,
  ctx: ServiceContext,
  lucia: HeraldLucia,
  trustProxy: TrustProxy,
): void {
  routes.add({
    method: 'post',
    path: '/session',
    tag: 'Session',
    role: 'anyone',
    public: true,
    summary: 'Sign in; sets the session cookie',
    body: s.signIn,
    status: 201,
    handler: async ({ body, c }) => {
      const ip = clientAddress(c.req.raw, trustProxy);
      const user = await users.verifySignIn(ctx, { ...body, ip });
      const session = await lucia.createSession(user.id, {
        created_at: ctx.now().toISOString(),
        verified_at: null,
        user_agent: c.req.header('user-agent')?.slice(0, 300) ?? null,
        ip,
      });
      c.header('set-cookie', lucia.createSessionCookie(session.id).serialize(), { append: true });
      return { user: users.userView(user), expires_at: session.expiresAt.toISOString() };
    },
  });
  routes.add({
    method: 'delete',
    path: '/session',
    tag: 'Session',
    role: 'signed-in',
    summary: 'Sign out',
    status: 204,
    handler: async ({ c }) => {
      const sessionId = lucia.readSessionCookie(c.req.header('cookie') ?? '');
      if (sessionId) await lucia.invalidateSession(sessionId);
      c.header('set-cookie', lucia.createBlankSessionCookie().serialize(), { append: true });
    },
  });
  routes.add({
    method: 'get',
    path: '/me',
    tag: 'Session',
    role: 'signed-in',
    summary: 'Who is calling, with which role',
    handler: async ({ actor }) => actor,
  });
  const cookieSecret = (cookie: string | undefined) => lucia.readSessionCookie(cookie ?? '');
  routes.add({
    method: 'post',
    path: '/me/password',
    tag: 'Session',
    role: 'signed-in',
    summary: 'Change your password (ends your other sessions)',
    body: s.passwordChange,
    status: 204,
    handler: async ({ actor, body, c }) => {
      await users.changePassword(ctx, actor, { current: body.current_password, next: body.new_password });
      await sessions.endOtherSessions(ctx, actor, cookieSecret(c.req.header('cookie')));
    },
  });
  routes.add({
    method: 'post',
    path: '/session/confirm',
    tag: 'Session',
    role: 'signed-in',
    summary: 'Confirm your password: team and token changes need it within 15 minutes',
    body: s.passwordConfirm,
    status: 204,
    handler: ({ actor, body, c }) =>
      sessions.confirmPassword(ctx, actor, cookieSecret(c.req.header('cookie')), {
        password: body.password,
        ip: clientAddress(c.req.raw, trustProxy),
      }),
  });
  routes.add({
    method: 'get',
    path: '/me/sessions',
    tag: 'Session',
    role: 'signed-in',
    summary: 'Your open sessions',
    handler: ({ actor, c }) => sessions.listOwnSessions(ctx, actor, cookieSecret(c.req.header('cookie'))),
  });
  routes.add({
    method: 'delete',
    path: '/me/sessions/:id',
    tag: 'Session',
    role: 'signed-in',
    summary: 'End one of your sessions',
    status: 204,
    handler: ({ actor, param }) => sessions.endOwnSession(ctx, actor, param('id')),
  });
}
