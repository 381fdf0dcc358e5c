import { Agent } from 'node:https';
import webpush, { WebPushError } from 'web-push';
import type { Notification } from '../db/schema.ts';
import type { ServiceContext } from '../services/context.ts';
import type { ChannelSender, Recipient, SendFailure } from './channel.ts';
import { languagedView, PerNotification } from '../services/notification-view.ts';
import { readerLanguage } from '../i18n/reader-language.ts';
import { pushPayload } from '../render/push-payload.ts';
import type { VapidKeys } from './vapid.ts';
import { publicBase } from '../domain/public-link.ts';
import { readerOf } from '../render/reader.ts';
import { observeRender } from '../metrics/registry.ts';

const TTL_SECONDS = 24 * 3600;
/** How long a signed VAPID token is valid (at most 24 hours by RFC 8292). */
const VAPID_LIFETIME_SECONDS = 12 * 3600;

/** Browser push through web-push: encrypted per subscription (RFC 8291), signed with VAPID (RFC 8292). */
export class PushSender implements ChannelSender {
  readonly channel = 'push' as const;
  readonly concurrency: number;
  #ctx: ServiceContext;
  #vapid: VapidKeys & { subject: string };
  #baseUrl: string;
  #agent: Agent;
  #vapidHeaders = new Map<string, { headers: { Authorization: string }; renewAt: number }>();
  #views = new PerNotification((n) => languagedView(this.#ctx, n));
  /** One payload per notification and language the audience reads, not per browser. */
  #payloads = new PerNotification<{ json: string; urgency: 'high' | 'normal'; topic: string }>((n, language) =>
    this.#build(n, language),
  );

  constructor(
    ctx: ServiceContext,
    options: { vapid: VapidKeys & { subject: string }; baseUrl: string; concurrency: number; agent?: Agent },
  ) {
    this.#ctx = ctx;
    this.#vapid = options.vapid;
    this.#baseUrl = options.baseUrl;
    this.concurrency = options.concurrency;
    // Kept-alive connections: a fan-out sends thousands of requests to the same few push services.
    this.#agent = options.agent ?? new Agent({ keepAlive: true, maxSockets: options.concurrency });
  }

  async send(notification: Notification, subscriber: Recipient): Promise<void> {
    if (!subscriber.push_endpoint || !subscriber.push_p256dh || !subscriber.push_auth)
      throw new Error('incomplete push subscription');
    const { page } = await this.#views.get(notification);
    const language = readerLanguage(subscriber.language, page);
    const { json, urgency, topic } = await this.#payloads.get(notification, language.code);
    await webpush.sendNotification(
      { endpoint: subscriber.push_endpoint, keys: { p256dh: subscriber.push_p256dh, auth: subscriber.push_auth } },
      json,
      {
        TTL: TTL_SECONDS,
        urgency,
        topic,
        contentEncoding: 'aes128gcm',
        headers: this.#authorization(subscriber.push_endpoint),
        agent: this.#agent,
        timeout: 15_000,
      },
    );
  }

  /**
   * The VAPID Authorization header for a push service, signed once and used for many requests
   * until an hour before it expires (RFC 8292 allows reuse): signing an ES256 token for every
   * message was a third of the fan-out's CPU. Its expiry is the wall clock's: the push service checks it.
   */
  #authorization(endpoint: string): { Authorization: string } {
    const { protocol, host } = new URL(endpoint);
    const audience = `${protocol}//${host}`;
    const now = Date.now();
    const cached = this.#vapidHeaders.get(audience);
    if (cached && cached.renewAt > now) return cached.headers;
    const expiresAt = Math.floor(now / 1000) + VAPID_LIFETIME_SECONDS;
    const { Authorization } = webpush.getVapidHeaders(
      audience,
      this.#vapid.subject,
      this.#vapid.publicKey,
      this.#vapid.privateKey,
      'aes128gcm',
      expiresAt,
    );
    const headers = { Authorization };
    if (this.#vapidHeaders.size > 100) this.#vapidHeaders.clear();
    this.#vapidHeaders.set(audience, { headers, renewAt: now + (VAPID_LIFETIME_SECONDS - 3600) * 1000 });
    return headers;
  }

  classify(error: unknown): SendFailure {
    if (error instanceof WebPushError) {
      const status = error.statusCode;
      const message = `push service answered ${status}: ${String(error.body).slice(0, 300)}`;
      if (status === 404 || status === 410) return { permanent: true, gone: true, message };
      if (status === 429 || status >= 500) {
        const retryAfter = retryAfterMs(error.headers['retry-after'], this.#ctx.now());
        return { permanent: false, message, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) };
      }
      return { permanent: true, message };
    }
    return { permanent: false, message: (error instanceof Error ? error.message : String(error)).slice(0, 300) };
  }

  close(): void {
    this.#agent.destroy();
  }

  async #build(notification: Notification, language: string) {
    const { settings, incident, page } = await this.#views.get(notification);
    const reader = readerOf(readerLanguage(language, page), page);
    const payload = pushPayload({
      pageName: settings.page_name,
      baseUrl: publicBase(settings.base_url, this.#baseUrl),
      incident,
      updateId: notification.update_id,
      event: notification.event,
      timeZone: settings.time_zone,
      reader,
    });
    observeRender(this.channel, reader.language.code);
    return {
      json: JSON.stringify(payload),
      urgency: incident.impact === 'critical' || incident.impact === 'major' ? ('high' as const) : ('normal' as const),
      // One pending message per incident at the push service: a newer update replaces an undelivered one.
      topic: incident.id,
    };
  }
}

/** Retry-After in seconds or as an HTTP date, capped at a day. */
export function retryAfterMs(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now.getTime();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 86_400_000) : undefined;
}
