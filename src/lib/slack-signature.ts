import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Slack's request signature (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" under the signing secret>`,
 * with the seconds in `X-Slack-Request-Timestamp`. The body must be the bytes as received: parsed
 * and re-encoded form data would not give the same digest.
 */
export const SLACK_SIGNATURE_VERSION = 'v0';

/** Slack's own advice: older (or newer) requests may be replays. */
export const SLACK_TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export type SlackVerificationFailure =
  | 'no_secret'
  | 'missing_timestamp'
  | 'missing_signature'
  | 'malformed_timestamp'
  | 'malformed_signature'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'signature_mismatch';

export type SlackVerification = { ok: true } | { ok: false; reason: SlackVerificationFailure };

export type SlackRequestParts = {
  signingSecret: string;
  /** The headers' values as received; a missing header is null or undefined. */
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  rawBody: string | Uint8Array;
  /** Milliseconds since the epoch. */
  now: number;
};

/** `v0=<hex>` for a body sent at `timestamp` (seconds): what Slack puts in X-Slack-Signature. */
export function signSlackRequest(input: {
  signingSecret: string;
  timestamp: string | number;
  rawBody: string | Uint8Array;
}): string {
  // Two updates rather than one concatenated string: the body's bytes are hashed as they came.
  const digest = createHmac('sha256', input.signingSecret)
    .update(`${SLACK_SIGNATURE_VERSION}:${input.timestamp}:`)
    .update(input.rawBody)
    .digest('hex');
  return `${SLACK_SIGNATURE_VERSION}=${digest}`;
}

export function verifySlackRequest(input: SlackRequestParts): SlackVerification {
  const fail = (reason: SlackVerificationFailure): SlackVerification => ({ ok: false, reason });
  // With an empty secret anyone could compute a valid signature.
  if (!input.signingSecret) return fail('no_secret');
  const timestamp = input.timestamp?.trim();
  const signature = input.signature?.trim();
  if (!timestamp) return fail('missing_timestamp');
  if (!signature) return fail('missing_signature');
  // Whole seconds only: "1e9", "0x5", " 12" or a float would parse but are not what Slack sends.
  if (!/^\d{1,15}$/.test(timestamp)) return fail('malformed_timestamp');
  if (!signature.startsWith(`${SLACK_SIGNATURE_VERSION}=`)) return fail('malformed_signature');

  // The window first, as Slack advises: a replayed request is refused before any hashing.
  const skew = Math.floor(input.now / 1000) - Number(timestamp);
  if (skew > SLACK_TIMESTAMP_TOLERANCE_SECONDS) return fail('stale_timestamp');
  if (skew < -SLACK_TIMESTAMP_TOLERANCE_SECONDS) return fail('future_timestamp');

  const expected = Buffer.from(signSlackRequest({ ...input, timestamp }), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual throws on buffers of different lengths; bytes, not characters, are compared.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return fail('signature_mismatch');
  return { ok: true };
}
