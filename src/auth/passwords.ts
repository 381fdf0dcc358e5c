import { randomBytes, timingSafeEqual } from 'node:crypto';
import { HashingThread } from './hashing-thread.ts';

// scrypt with N=2^13, r=8, p=10: one of OWASP's equivalent minimum settings, chosen over
// N=2^17, p=1 for its memory: 8 MiB a hash instead of 128 MiB, which glibc then keeps resident
// after a flood of sign-ins. Hashes record their parameters; older ones still verify.
const N = 2 ** 13;
const R = 8;
const P = 10;
const KEY_LENGTH = 32;
const MAX_MEMORY = 256 * 1024 * 1024;

// Hashes run one at a time on a thread of their own: a flood of sign-ins queues there.
const hashing = new HashingThread();

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return hashing.derive({
    password: password.normalize('NFKC'),
    salt,
    keyLength: KEY_LENGTH,
    N: n,
    r,
    p,
    maxmem: MAX_MEMORY,
  });
}

/** `scrypt$N$r$p$salt$hash`, so the cost can rise later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Spent when no account matches, so the answer takes as long either way. */
let decoy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  decoy ??= hashPassword('decoy password that matches nothing');
  await verifyPassword(await decoy, password);
}

export const PASSWORD_RULE = 'at least 12 characters';

export function passwordProblem(password: string): string | null {
  if ([...password].length < 12) return `The password must be ${PASSWORD_RULE}`;
  if (password.length > 256) return 'The password must be at most 256 characters';
  return null;
}
