import * as repo from '../db/users-repo.ts';
import type { ApiToken } from '../db/schema.ts';
import { newId, newSecret, sha256 } from '../lib/ids.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from './audit.ts';
import { authorize, requireRecentSignIn } from './authorize.ts';
import { iso, type ServiceContext, write } from './context.ts';
import { Invalid, NotFound } from './errors.ts';
import { type Page, type PageRequest, pageOf } from './paging.ts';

export const TOKEN_PREFIX = 'hrld_';

export type TokenView = Omit<ApiToken, 'token_hash'>;

function tokenView(token: ApiToken): TokenView {
  const { token_hash: _hash, ...view } = token;
  return view;
}

/** The secret is returned here once and only its hash is kept. */
export async function createToken(
  ctx: ServiceContext,
  actor: Actor,
  input: { name: string; user_id?: string; email?: string },
): Promise<TokenView & { token: string }> {
  authorize(actor, 'manage_page');
  requireRecentSignIn(actor, ctx.now());
  return write(ctx, async (trx) => {
    const user = input.email
      ? await repo.findUserByEmail(trx, input.email)
      : await repo.findUser(trx, input.user_id ?? (actor.kind === 'user' ? actor.userId : ''));
    if (!user)
      throw new Invalid('The token needs an existing user to act as', [
        { field: input.email ? 'email' : 'user_id', message: 'no such user' },
      ]);
    const secret = newSecret(TOKEN_PREFIX);
    const at = iso(ctx.now());
    const token: ApiToken = {
      id: newId(),
      user_id: user.id,
      name: input.name,
      token_hash: sha256(secret),
      created_at: at,
      last_used_at: null,
      revoked_at: null,
    };
    await repo.insertTokenRow(trx, token);
    await recordAudit(trx, actor, at, {
      action: 'token.create',
      targetType: 'api_token',
      targetId: token.id,
      details: { name: token.name, user_id: user.id },
    });
    return { ...tokenView(token), token: secret };
  });
}

export async function listTokens(ctx: ServiceContext, actor: Actor, page: PageRequest): Promise<Page<TokenView>> {
  authorize(actor, 'manage_page');
  const [rows, total] = await Promise.all([
    repo.listTokens(ctx.db, page.perPage, page.offset),
    repo.countTokens(ctx.db),
  ]);
  return pageOf(rows.map(tokenView), total, page);
}

export async function revokeToken(ctx: ServiceContext, actor: Actor, id: string): Promise<TokenView> {
  authorize(actor, 'manage_page');
  return write(ctx, async (trx) => {
    const token = await repo.findTokenById(trx, id);
    if (!token) throw new NotFound(`API token ${id} does not exist`);
    const at = iso(ctx.now());
    if (!token.revoked_at) {
      await repo.updateTokenRow(trx, id, { revoked_at: at });
      await recordAudit(trx, actor, at, {
        action: 'token.revoke',
        targetType: 'api_token',
        targetId: id,
        details: { name: token.name },
      });
    }
    return tokenView({ ...token, revoked_at: token.revoked_at ?? at });
  });
}

// Recording every use would turn each API read into a write; a minute's precision is enough.
const LAST_USED_PRECISION_MS = 60_000;

/** The actor a bearer token stands for, or null if it is unknown or revoked. */
export async function actorForToken(ctx: ServiceContext, secret: string): Promise<Actor | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const token = await repo.findTokenByHash(ctx.db, sha256(secret));
  if (!token || token.revoked_at) return null;
  const now = ctx.now();
  if (!token.last_used_at || now.getTime() - Date.parse(token.last_used_at) > LAST_USED_PRECISION_MS) {
    // A hint for the owner, not worth holding the request: a read must still answer while another
    // process holds the database, so the stamp is not awaited and a busy database skips it.
    void repo.updateTokenRow(ctx.db, token.id, { last_used_at: iso(now) }).catch(() => undefined);
  }
  return {
    kind: 'user',
    userId: token.user_id,
    role: token.role,
    label: `${token.email} (token ${token.name})`,
    via: 'token',
    tokenId: token.id,
  };
}
