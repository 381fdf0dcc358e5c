import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimit } from '../../src/domain/rate-limit.ts';
import { countHit, enforceLimits, forgetHits, refundHit } from '../../src/services/rate-limits.ts';
import { TooManyRequests } from '../../src/services/errors.ts';
import { openServiceContext, type ServiceFixture } from '../helpers/service-context.ts';

const LIMIT: RateLimit = { name: 'test', limit: 5, windowMs: 3_600_000 };

describe('rate limits kept in the database', () => {
  let f: ServiceFixture;
  beforeAll(async () => {
    f = await openServiceContext();
  });
  afterAll(() => f.close());

  it('lets exactly the limit through when the requests race each other', async () => {
    const waits = await Promise.all(Array.from({ length: 20 }, () => countHit(f.ctx, LIMIT, 'racer')));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    expect(Math.min(...waits.filter((w) => w > 0))).toBeGreaterThan(0);
  });

  it('keeps counting across a window boundary, then lets the subject in again once the old hits fade', async () => {
    f.clock.set('2026-11-23T10:00:00.000Z');
    for (let i = 0; i < 5; i++) expect(await countHit(f.ctx, LIMIT, 'steady')).toBe(0);
    f.clock.set('2026-11-23T11:05:00.000Z');
    // Most of the last window still counts five minutes into the next one.
    expect(await countHit(f.ctx, LIMIT, 'steady')).toBeGreaterThan(0);
    f.clock.set('2026-11-23T11:59:00.000Z');
    expect(await countHit(f.ctx, LIMIT, 'steady')).toBe(0);
  });

  it('refuses with TooManyRequests and the seconds to wait, and forgets or refunds on request', async () => {
    f.clock.set('2026-11-23T14:00:00.000Z');
    for (let i = 0; i < 5; i++) await enforceLimits(f.ctx, [[LIMIT, 'form']], 'slow down');
    const refused = await enforceLimits(f.ctx, [[LIMIT, 'form']], 'slow down').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequests);
    expect((refused as TooManyRequests).retryAfterSeconds).toBeGreaterThan(0);
    await refundHit(f.ctx, LIMIT, 'form');
    await refundHit(f.ctx, LIMIT, 'form');
    expect(await countHit(f.ctx, LIMIT, 'form')).toBe(0);
    await forgetHits(f.ctx, LIMIT, 'form');
    for (let i = 0; i < 5; i++) expect(await countHit(f.ctx, LIMIT, 'form')).toBe(0);
  });
});
