import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  decideFailure,
  type DeliveryPolicy,
  type SendFailure,
} from '../../../src/domain/delivery-policy.ts';

const policy: DeliveryPolicy = { retryBaseMs: 1000, maxAttempts: 5, bounceLimit: 3 };
const NOW = Date.parse('2026-01-01T00:00:00Z');
const temporary: SendFailure = { permanent: false, message: '451 try later' };
const permanent: SendFailure = { permanent: true, message: '550 no such user' };

describe('the delivery policy', () => {
  it.each([
    {
      name: 'a gone subscription is removed, whatever its attempts',
      failure: { ...permanent, gone: true },
      attempts: 1,
      bounces: 0,
      expected: { outcome: 'gone' },
    },
    {
      name: 'a target that is gone disables the subscriber at once, whatever its bounces',
      failure: { ...permanent, disable: 'the receiver answered 410: the webhook or channel is gone' },
      attempts: 1,
      bounces: 0,
      expected: { outcome: 'disabled', reason: 'the receiver answered 410: the webhook or channel is gone' },
    },
    {
      name: 'a gone target is disabled even on its last attempt',
      failure: { ...temporary, disable: 'the receiver answered 404: the webhook or channel is gone' },
      attempts: 5,
      bounces: 2,
      expected: { outcome: 'disabled', reason: 'the receiver answered 404: the webhook or channel is gone' },
    },
    {
      name: 'a first hard bounce is final and counted',
      failure: permanent,
      attempts: 1,
      bounces: 0,
      expected: { outcome: 'failed', reason: '550 no such user', bounceCount: 1, disable: false },
    },
    {
      name: 'the bounce that reaches the limit disables the subscriber',
      failure: permanent,
      attempts: 1,
      bounces: 2,
      expected: { outcome: 'failed', reason: '550 no such user', bounceCount: 3, disable: true },
    },
    {
      name: 'a bounce past the limit keeps it disabled',
      failure: permanent,
      attempts: 1,
      bounces: 5,
      expected: { outcome: 'failed', reason: '550 no such user', bounceCount: 6, disable: true },
    },
    {
      name: 'a temporary failure at the last attempt gives up without a bounce',
      failure: temporary,
      attempts: 5,
      bounces: 1,
      expected: { outcome: 'failed', reason: '451 try later', bounceCount: 1, disable: false },
    },
    {
      name: 'a temporary failure is retried after the backoff (no jitter at 0.5)',
      failure: temporary,
      attempts: 1,
      bounces: 0,
      expected: { outcome: 'retry', reason: '451 try later', nextAttemptAt: NOW + 1000 },
    },
    {
      name: 'the backoff doubles with each attempt',
      failure: temporary,
      attempts: 3,
      bounces: 0,
      expected: { outcome: 'retry', reason: '451 try later', nextAttemptAt: NOW + 4000 },
    },
    {
      name: 'Retry-After is honoured as given',
      failure: { ...temporary, retryAfterMs: 120_000 },
      attempts: 1,
      bounces: 0,
      expected: { outcome: 'retry', reason: '451 try later', nextAttemptAt: NOW + 120_000 },
    },
    {
      name: 'Retry-After is capped at a day',
      failure: { ...temporary, retryAfterMs: 10 * 86_400_000 },
      attempts: 1,
      bounces: 0,
      expected: { outcome: 'retry', reason: '451 try later', nextAttemptAt: NOW + 86_400_000 },
    },
    {
      name: 'Retry-After does not outlast the attempts',
      failure: { ...temporary, retryAfterMs: 1000 },
      attempts: 5,
      bounces: 0,
      expected: { outcome: 'failed', reason: '451 try later', bounceCount: 0, disable: false },
    },
  ] as const)('$name', ({ failure, attempts, bounces, expected }) => {
    expect(decideFailure(policy, failure, { attempts, bounceCount: bounces }, NOW, () => 0.5)).toEqual(expected);
  });

  it.each([
    { attempt: 1, random: 0, expected: 500 },
    { attempt: 1, random: 0.5, expected: 1000 },
    { attempt: 1, random: 0.999, expected: 1499 },
    { attempt: 2, random: 0.5, expected: 2000 },
    { attempt: 0, random: 0.5, expected: 1000 },
    { attempt: 30, random: 0.5, expected: 3_600_000 },
    { attempt: 30, random: 0.999, expected: 5_396_400 },
  ])('backs off $expected ms at attempt $attempt with random $random', ({ attempt, random, expected }) => {
    expect(backoffMs(1000, attempt, () => random)).toBe(expected);
  });

  it('spreads retries of the same attempt with jitter', () => {
    const values = [0.1, 0.3, 0.7, 0.9];
    const delays = values.map((v) => backoffMs(1000, 1, () => v));
    expect(new Set(delays).size).toBe(values.length);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...delays)).toBeLessThan(1500);
  });
});
