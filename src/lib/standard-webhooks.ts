import { createHmac } from 'node:crypto';

/**
 * The Standard Webhooks signature (v1): an HMAC-SHA256, under the secret's bytes (the base64 after
 * `whsec_`), of `<id>.<timestamp>.<body>`. Receivers check it with the specification's own
 * libraries; the id stays the same on every retry of one message, so they can drop repeats.
 */
export function standardWebhookHeaders(
  secret: string,
  message: { id: string; timestamp: Date; body: string },
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const seconds = String(Math.floor(message.timestamp.getTime() / 1000));
  const signature = createHmac('sha256', key).update(`${message.id}.${seconds}.${message.body}`).digest('base64');
  return { 'webhook-id': message.id, 'webhook-timestamp': seconds, 'webhook-signature': `v1,${signature}` };
}
