import type { Role } from '../domain/roles.ts';

/** Who is doing something: recorded on every write and in the audit log. */
export type Actor =
  | {
      kind: 'user';
      userId: string;
      role: Role;
      label: string;
      via: 'session' | 'token' | 'slack';
      tokenId?: string;
      /** Sessions only: when the password was last typed (sign-in or confirmation). */
      verifiedAt?: string;
    }
  | { kind: 'system'; label: string };

export const SCHEDULER: Actor = { kind: 'system', label: 'scheduler' };
export const CLI: Actor = { kind: 'system', label: 'cli' };

export function actorId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.userId : null;
}
