import { type Adapter, type DatabaseSession, type DatabaseUser, Lucia, TimeSpan } from 'lucia';
import type { Db } from '../db/database.ts';
import type { Role } from '../domain/roles.ts';
import { sha256 } from '../lib/ids.ts';

/**
 * Lucia's session store over Kysely. Sessions are stored under the SHA-256 of their cookie value,
 * so a copy of the database does not let anyone sign in.
 */
export class KyselySessionAdapter implements Adapter {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.#db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        's.id',
        's.user_id',
        's.expires_at',
        's.created_at',
        's.verified_at',
        's.user_agent',
        's.ip',
        'u.email',
        'u.name',
        'u.role',
      ])
      .where('s.id', '=', sha256(sessionId))
      .executeTakeFirst();
    if (!row) return [null, null];
    return [
      {
        id: sessionId,
        userId: row.user_id,
        expiresAt: new Date(row.expires_at),
        attributes: {
          created_at: row.created_at,
          verified_at: row.verified_at,
          user_agent: row.user_agent,
          ip: row.ip,
        },
      },
      { id: row.user_id, attributes: { email: row.email, name: row.name, role: row.role } },
    ];
  }

  /** Listed sessions carry their stored hash as id: revoke them with deleteSessionByHash. */
  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.#db.selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      expiresAt: new Date(row.expires_at),
      attributes: { created_at: row.created_at, verified_at: row.verified_at, user_agent: row.user_agent, ip: row.ip },
    }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.#db
      .insertInto('sessions')
      .values({
        id: sha256(session.id),
        user_id: session.userId,
        expires_at: session.expiresAt.getTime(),
        created_at: session.attributes.created_at,
        verified_at: session.attributes.verified_at,
        user_agent: session.attributes.user_agent,
        ip: session.attributes.ip,
      })
      .execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.#db
      .updateTable('sessions')
      .set({ expires_at: expiresAt.getTime() })
      .where('id', '=', sha256(sessionId))
      .execute();
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('id', '=', sha256(sessionId)).execute();
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.#db.deleteFrom('sessions').where('expires_at', '<=', Date.now()).execute();
  }
}

export function createLucia(db: Db, options: { secureCookies: boolean }) {
  return new Lucia(new KyselySessionAdapter(db), {
    // Twelve hours covers a long incident; Lucia extends a session used in its second half.
    sessionExpiresIn: new TimeSpan(12, 'h'),
    sessionCookie: {
      name: 'herald_session',
      attributes: { secure: options.secureCookies, sameSite: 'lax', path: '/' },
    },
    getUserAttributes: (attributes) => ({ email: attributes.email, name: attributes.name, role: attributes.role }),
    // A sign-in is itself a password typed: until confirmed again, the session's start counts.
    getSessionAttributes: (attributes) => ({
      createdAt: attributes.created_at,
      verifiedAt: attributes.verified_at ?? attributes.created_at,
    }),
  });
}

export type HeraldLucia = ReturnType<typeof createLucia>;

declare module 'lucia' {
  interface Register {
    Lucia: HeraldLucia;
    DatabaseUserAttributes: { email: string; name: string; role: Role };
    DatabaseSessionAttributes: {
      created_at: string;
      verified_at: string | null;
      user_agent: string | null;
      ip: string | null;
    };
  }
}
