import type { MiddlewareHandler } from 'hono';
import type { HeraldLucia } from '../auth/lucia.ts';
import { isSafeMethod, isSameOrigin } from '../auth/origin.ts';
import type { Actor } from '../services/actor.ts';
import type { ServiceContext } from '../services/context.ts';
import { Forbidden, Unauthorized } from '../services/errors.ts';
import { actorForToken } from '../services/tokens.ts';
import { problemResponse } from './problem.ts';
import type { Env } from './routes.ts';

/**
 * Finds who is calling: a bearer token (scripts, alerting tools) or the Lucia session cookie
 * (the console). Cookie-borne writes must come from this site's own pages.
 */
export function authenticate(
  ctx: ServiceContext,
  lucia: HeraldLucia,
  trustedOrigins: readonly string[],
): MiddlewareHandler<Env> {
  return async (c, next) => {
    c.set('actor', null);
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const secret = lucia.readBearerToken(authorization);
      const actor = secret ? await actorForToken(ctx, secret) : null;
      if (!actor) throw new Unauthorized('The API token is unknown or revoked');
      c.set('actor', actor);
      return next();
    }
    if (!isSafeMethod(c.req.method) && !isSameOrigin(c.req.raw, trustedOrigins)) {
      throw new Forbidden('Cross-site request refused: send writes from the Herald console or with an API token');
    }
    const sessionId = lucia.readSessionCookie(c.req.header('cookie') ?? '');
    if (sessionId) {
      const { session, user } = await lucia.validateSession(sessionId);
      if (!session) {
        // Answered here rather than thrown, so the browser is also told to drop the dead cookie.
        return problemResponse(
          401,
          'Your session has expired; sign in again',
          { instance: new URL(c.req.url).pathname },
          {
            'set-cookie': lucia.createBlankSessionCookie().serialize(),
          },
        );
      }
      if (session.fresh) c.header('set-cookie', lucia.createSessionCookie(session.id).serialize(), { append: true });
      const actor: Actor = {
        kind: 'user',
        userId: user.id,
        role: user.role,
        label: user.email,
        via: 'session',
        verifiedAt: session.verifiedAt,
      };
      c.set('actor', actor);
    }
    return next();
  };
}
