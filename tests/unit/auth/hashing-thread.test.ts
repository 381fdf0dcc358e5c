import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HashingThread } from '../../../src/auth/hashing-thread.ts';

const job = {
  password: 'correct horse',
  salt: Buffer.from('salt'),
  keyLength: 32,
  N: 1024,
  r: 8,
  p: 1,
  maxmem: 64 << 20,
};

describe('the hashing thread', () => {
  it('stops when idle and starts again for the next hash, with the same result', async () => {
    const thread = new HashingThread({ idleMs: 50 });
    const expected = scryptSync(job.password, job.salt, 32, { N: 1024, r: 8, p: 1 });
    expect(await thread.derive(job)).toEqual(expected);
    expect(thread.running).toBe(true);
    await expect.poll(() => thread.running, { timeout: 2_000 }).toBe(false);
    expect(await thread.derive(job)).toEqual(expected);
    expect(thread.running).toBe(true);
  });

  it('is not stopped while hashes wait', async () => {
    const thread = new HashingThread({ idleMs: 1 });
    const keys = await Promise.all(Array.from({ length: 5 }, () => thread.derive(job)));
    expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(1);
  });
});
