import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackRequest } from '../../../src/lib/slack-signature.ts';

// The worked example in Slack's "Verifying requests from Slack"
// (https://api.slack.com/authentication/verifying-requests-from-slack).
const DOC = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  rawBody:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const AT = Number(DOC.timestamp) * 1000;

const SECRET = 'a-signing-secret';
const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const TS = String(NOW / 1000);
const BODY = 'token=x&team_id=T1&user_id=U1&command=%2Fstatus&text=list&response_url=https%3A%2F%2Fhooks.slack.com%2Fx';
/** Written from Slack's description, apart from the code under test, so the scheme is checked and not echoed. */
const independent = (secret: string, ts: string, body: string) =>
  `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
const request = (over: Partial<Parameters<typeof verifySlackRequest>[0]> = {}) => ({
  signingSecret: SECRET,
  timestamp: TS,
  signature: independent(SECRET, TS, BODY),
  rawBody: BODY,
  now: NOW,
  ...over,
});

describe('Slack request signatures', () => {
  it("signs Slack's documented example to its documented signature", () => {
    expect(signSlackRequest(DOC)).toBe(DOC.signature);
    expect(verifySlackRequest({ ...DOC, now: AT + 60_000 })).toEqual({ ok: true });
  });

  it('accepts a request signed with the secret, as a string or as the raw bytes', () => {
    expect(verifySlackRequest(request())).toEqual({ ok: true });
    expect(verifySlackRequest(request({ rawBody: Buffer.from(BODY) }))).toEqual({ ok: true });
    expect(signSlackRequest({ signingSecret: SECRET, timestamp: Number(TS), rawBody: BODY })).toBe(
      independent(SECRET, TS, BODY),
    );
  });

  it('accepts a timestamp up to five minutes away either way, and refuses one beyond', () => {
    expect(verifySlackRequest(request({ now: NOW + 300_000 }))).toEqual({ ok: true });
    expect(verifySlackRequest(request({ now: NOW - 300_000 }))).toEqual({ ok: true });
    expect(verifySlackRequest(request({ now: NOW + 301_000 }))).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySlackRequest(request({ now: NOW - 301_000 }))).toEqual({ ok: false, reason: 'future_timestamp' });
  });

  it('refuses a replay of a once valid request later on, even with its signature intact', () => {
    expect(verifySlackRequest({ ...DOC, now: AT + 3_600_000 })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('refuses a signature made with another secret', () => {
    const signature = independent('another-secret', TS, BODY);
    expect(verifySlackRequest(request({ signature }))).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  it('refuses a body changed after signing, and a timestamp changed after signing', () => {
    const tampered = BODY.replace('text=list', 'text=resolve%20abc');
    expect(verifySlackRequest(request({ rawBody: tampered }))).toEqual({ ok: false, reason: 'signature_mismatch' });
    const later = String(Number(TS) + 1);
    expect(verifySlackRequest(request({ timestamp: later }))).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  it('refuses missing headers and an unset secret', () => {
    expect(verifySlackRequest(request({ timestamp: undefined }))).toEqual({ ok: false, reason: 'missing_timestamp' });
    expect(verifySlackRequest(request({ timestamp: '  ' }))).toEqual({ ok: false, reason: 'missing_timestamp' });
    expect(verifySlackRequest(request({ signature: null }))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifySlackRequest(request({ signature: '' }))).toEqual({ ok: false, reason: 'missing_signature' });
    const unset = request({ signingSecret: '', signature: independent('', TS, BODY) });
    expect(verifySlackRequest(unset)).toEqual({ ok: false, reason: 'no_secret' });
  });

  it.each(['1e9', '0x5f', '-1531420618', '1531420618.5', 'yesterday', '١٥٣١٤٢٠٦١٨'])(
    'refuses the garbled timestamp %j',
    (timestamp) => {
      expect(verifySlackRequest(request({ timestamp }))).toEqual({ ok: false, reason: 'malformed_timestamp' });
    },
  );

  it.each(['a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', 'v1=abc', 'sha256=abc', 'V0 =x'])(
    'refuses the signature %j, which is not a v0 signature',
    (signature) => {
      expect(verifySlackRequest(request({ signature }))).toEqual({ ok: false, reason: 'malformed_signature' });
    },
  );

  it('refuses, without throwing, signatures shorter, longer or of other bytes than a digest', () => {
    const good = independent(SECRET, TS, BODY);
    // "é" is two bytes: the same number of characters as a digest, twice the bytes.
    for (const signature of [
      'v0=',
      'v0=abc',
      `${good}00`,
      `v0=${'é'.repeat(64)}`,
      good.toUpperCase().replace('V0', 'v0'),
    ])
      expect(verifySlackRequest(request({ signature }))).toEqual({ ok: false, reason: 'signature_mismatch' });
  });
});
