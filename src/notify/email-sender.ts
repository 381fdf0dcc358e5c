import type { Notification, Subscriber } from '../db/schema.ts';
import type { ServiceContext } from '../services/context.ts';
import type { ChannelSender, SendFailure } from './channel.ts';
import { emailMime, emailTemplate } from '../render/email-message.ts';
import { manageToken } from '../domain/manage-link.ts';
import { isPermanentMailError, type Mailer } from './mailer.ts';
import { fillMime, type MimeTemplate } from '../render/mime.ts';
import { notificationView, PerNotification } from '../services/notification-view.ts';
import { publicBase } from '../domain/public-link.ts';

/** Sends notification mail: one template per notification, personal links per subscriber. */
export class EmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  readonly concurrency: number;
  #ctx: ServiceContext;
  #mailer: Mailer;
  #baseUrl: string;
  #templates = new PerNotification<{ mime: MimeTemplate; secret: string; base: string }>((n) => this.#build(n));

  constructor(ctx: ServiceContext, mailer: Mailer, options: { baseUrl: string; concurrency: number }) {
    this.#ctx = ctx;
    this.#mailer = mailer;
    this.#baseUrl = options.baseUrl;
    this.concurrency = options.concurrency;
  }

  async send(notification: Notification, subscriber: Subscriber): Promise<void> {
    if (!subscriber.email) throw Object.assign(new Error('subscriber has no email address'), { responseCode: 550 });
    const { mime, secret, base } = await this.#templates.get(notification);
    const token = manageToken(secret, subscriber);
    const raw = fillMime(mime, { to: subscriber.email, manage: `${base}/subscriptions/${token}`, unsubscribe: `${base}/subscriptions/${token}/unsubscribe` });
    await this.#mailer.sendRaw(subscriber.email, raw);
  }

  classify(error: unknown): SendFailure {
    const message = error instanceof Error ? error.message : String(error);
    return { permanent: isPermanentMailError(error), message: message.slice(0, 500) };
  }

  close(): void {
    this.#mailer.close();
  }

  async #build(notification: Notification) {
    const { settings, incident } = await notificationView(this.#ctx, notification);
    const base = publicBase(settings.base_url, this.#baseUrl);
    const template = emailTemplate({ pageName: settings.page_name, baseUrl: base, timeZone: settings.time_zone, incident, updateId: notification.update_id, event: notification.event });
    return { mime: emailMime(template, this.#mailer.from, new Date(notification.created_at)), secret: settings.link_secret, base };
  }
}
