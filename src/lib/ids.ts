import { createHash, randomBytes } from 'node:crypto';

// Lower-case letters and digits without look-alikes (0/o, 1/l/i), so codes read aloud and survive
// being typed from a screenshot.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function randomString(length: number): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % ALPHABET.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += ALPHABET[byte % ALPHABET.length];
    }
  }
  return out;
}

/** Identifier of a stored resource, in the Statuspage style (12 characters). */
export function newId(): string {
  return randomString(12);
}

/** Short public code of an incident, used in permalinks. */
export function newCode(): string {
  return randomString(8);
}

/** A bearer secret (API token, setup link, session): 256 bits, URL-safe. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
