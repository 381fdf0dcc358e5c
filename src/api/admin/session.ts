import type { HeraldLucia } from '../../auth/lucia.ts';
import { sha256 } from '../../lib/ids.ts';
import type { ServiceContext } from '../../services/context.ts';
import { Forbidden, NotFound } from '../../services/errors.ts';
import * as users from '../../services/users.ts';
import { clientIp } from '../client-ip.ts';
import type { RouteTable } from '../routes.ts';
import * as s from './schemas.ts';

export function sessionRoutes(routes: RouteTable, ctx: ServiceContext, lucia: HeraldLucia, trustProxy: boolean): void {
  routes.add({ method: 'post', path: '/session', tag: 'Session', role: 'anyone', public: true, summary: 'Sign in; sets the session cookie', body: s.signIn, status: 201,
    handler: async ({ body, c }) => {
      const ip = clientIp(c, trustProxy);
      const user = await users.verifySignIn(ctx, { ...body, ip });
      const session = await lucia.createSession(user.id, {
        created_at: ctx.now().toISOString(),
        user_agent: c.req.header('user-agent')?.slice(0, 300) ?? null,
        ip,
      });
      c.header('set-cookie', lucia.createSessionCookie(session.id).serialize(), { append: true });
      return { user: users.userView(user), expires_at: session.expiresAt.toISOString() };
    } });
  routes.add({ method: 'delete', path: '/session', tag: 'Session', role: 'signed-in', summary: 'Sign out', status: 204,
    handler: async ({ c }) => {
      const sessionId = lucia.readSessionCookie(c.req.header('cookie') ?? '');
      if (sessionId) await lucia.invalidateSession(sessionId);
      c.header('set-cookie', lucia.createBlankSessionCookie().serialize(), { append: true });
    } });
  routes.add({ method: 'get', path: '/me', tag: 'Session', role: 'signed-in', summary: 'Who is calling, with which role',
    handler: async ({ actor }) => actor });
  routes.add({ method: 'post', path: '/me/password', tag: 'Session', role: 'signed-in', summary: 'Change your password (ends your other sessions)', body: s.passwordChange, status: 204,
    handler: async ({ actor, body, c }) => {
      await users.changePassword(ctx, actor, { current: body.current_password, next: body.new_password });
      if (actor.kind !== 'user') return;
      const current = lucia.readSessionCookie(c.req.header('cookie') ?? '');
      const keep = current ? sha256(current) : '';
      await ctx.db.deleteFrom('sessions').where('user_id', '=', actor.userId).where('id', '!=', keep).execute();
    } });
  routes.add({ method: 'get', path: '/me/sessions', tag: 'Session', role: 'signed-in', summary: 'Your open sessions',
    handler: async ({ actor, c }) => {
      if (actor.kind !== 'user') throw new Forbidden('Only users have sessions');
      const current = lucia.readSessionCookie(c.req.header('cookie') ?? '');
      const rows = await ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', actor.userId).orderBy('created_at', 'desc').execute();
      return rows.map((r) => ({ id: r.id, created_at: r.created_at, expires_at: new Date(r.expires_at).toISOString(), user_agent: r.user_agent, ip: r.ip, current: current !== null && sha256(current) === r.id }));
    } });
  routes.add({ method: 'delete', path: '/me/sessions/:id', tag: 'Session', role: 'signed-in', summary: 'End one of your sessions', status: 204,
    handler: async ({ actor, param }) => {
      if (actor.kind !== 'user') throw new Forbidden('Only users have sessions');
      const result = await ctx.db.deleteFrom('sessions').where('user_id', '=', actor.userId).where('id', '=', param('id')).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw new NotFound('No such session of yours');
    } });
}
