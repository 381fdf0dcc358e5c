import { describe, expect, it } from 'vitest';
import { parseRetryAfter, responseFailure } from '../../../src/domain/outbound-failure.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const answer = (status: number, headers: Record<string, string | undefined> = {}, bodySnippet = '') => ({
  status,
  headers,
  bodySnippet,
});

describe('what a webhook receiver answer means', () => {
  it.each([200, 201, 202, 204, 299])('%i is a success', (status) => {
    expect(responseFailure(answer(status), NOW)).toBeUndefined();
  });

  it.each([404, 410])('%i disables the subscriber: the webhook or channel is gone', (status) => {
    expect(responseFailure(answer(status, {}, 'channel_not_found'), NOW)).toEqual({
      permanent: true,
      disable: `the receiver answered ${status}: the webhook or channel is gone`,
      message: `the receiver answered ${status}: channel_not_found`,
    });
  });

  it.each([
    { status: 429, headers: { 'retry-after': '2' }, expected: { permanent: false, retryAfterMs: 2000 } },
    { status: 429, headers: {}, expected: { permanent: false } },
    { status: 500, headers: {}, expected: { permanent: false } },
    { status: 503, headers: { 'retry-after': '120' }, expected: { permanent: false, retryAfterMs: 120_000 } },
    { status: 599, headers: {}, expected: { permanent: false } },
  ])('$status is retried, honouring Retry-After $headers', ({ status, headers, expected }) => {
    const failure = responseFailure(answer(status, headers), NOW);
    expect(failure).toEqual({ ...expected, message: `the receiver answered ${status}` });
  });

  it.each([301, 302, 303, 307, 308])('%i is final: redirects are not followed', (status) => {
    expect(responseFailure(answer(status, { location: 'https://elsewhere.example/hook' }), NOW)).toEqual({
      permanent: true,
      message: `the receiver answered ${status} (a redirect to https://elsewhere.example/hook): redirects are not followed; use the final URL`,
    });
  });

  it.each([400, 401, 403, 405, 413, 422])('%i is final, with the status and what the receiver said', (status) => {
    expect(responseFailure(answer(status, {}, '  invalid_payload\n  detail '), NOW)).toEqual({
      permanent: true,
      message: `the receiver answered ${status}: invalid_payload detail`,
    });
  });

  it('keeps only the start of a long body', () => {
    const failure = responseFailure(answer(400, {}, 'x'.repeat(5000)), NOW);
    expect(failure?.message).toBe(`the receiver answered 400: ${'x'.repeat(200)}…`);
  });

  it('treats a status outside HTTP as final', () => {
    expect(responseFailure(answer(600), NOW)).toEqual({ permanent: true, message: 'the receiver answered 600' });
  });
});

describe('Retry-After', () => {
  it.each([
    { value: '0', expected: 0 },
    { value: '2', expected: 2000 },
    { value: ' 120 ', expected: 120_000 },
    { value: '999999999', expected: 86_400_000 },
    { value: 'Thu, 01 Jan 2026 00:00:30 GMT', expected: 30_000 },
    { value: 'Thursday, 01-Jan-26 00:01:00 GMT', expected: 60_000 },
    { value: 'Thu Jan  1 00:00:05 2026', expected: 5000 },
    { value: 'Wed, 31 Dec 2025 23:00:00 GMT', expected: 0 },
    { value: 'Fri, 01 Jan 2027 00:00:00 GMT', expected: 86_400_000 },
    { value: undefined, expected: undefined },
    { value: '', expected: undefined },
    { value: '-5', expected: undefined },
    { value: '1.5', expected: undefined },
    { value: 'soon', expected: undefined },
  ])('reads $value as $expected ms', ({ value, expected }) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
