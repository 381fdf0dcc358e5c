import type { Notification } from '../db/schema.ts';
import type { ServiceContext } from '../services/context.ts';
import type { ChannelSender, Recipient, SendFailure } from './channel.ts';
import { emailMime, emailTemplate } from '../render/email-message.ts';
import { manageToken } from '../domain/manage-link.ts';
import { isPermanentMailError, type Mailer } from './mailer.ts';
import { fillMime } from '../render/mime.ts';
import { languagedView, PerNotification } from '../services/notification-view.ts';
import { readerLanguage } from '../i18n/reader-language.ts';
import { publicBase } from '../domain/public-link.ts';
import { type Reader, readerLink, readerOf } from '../render/reader.ts';
import { observeRender } from '../metrics/registry.ts';

type BuiltMail = { mail: SlottedMail; messageId: string; secret: string; base: string; reader: Reader };

/**
 * Sends notification mail: one template per notification and language the audience reads
 * (rendered on the first send in that language), personal links per subscriber.
 */
export class EmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  readonly concurrency: number;
  #ctx: ServiceContext;
  #mailer: Mailer;
  #baseUrl: string;
  #views = new PerNotification((n) => languagedView(this.#ctx, n));
  #templates = new PerNotification<BuiltMail>((n, language) => this.#build(n, language));

  constructor(ctx: ServiceContext, mailer: Mailer, options: { baseUrl: string; concurrency: number }) {
    this.#ctx = ctx;
    this.#mailer = mailer;
    this.#baseUrl = options.baseUrl;
    this.concurrency = options.concurrency;
  }

  async send(notification: Notification, recipient: Recipient): Promise<void> {
    if (!recipient.email) throw Object.assign(new Error('subscriber has no email address'), { responseCode: 550 });
    // Keyed by the language the subscriber is written in, so a stored code the page no longer
    // offers shares the default language's mail instead of rendering one of its own.
    const { page } = await this.#views.get(notification);
    const language = readerLanguage(recipient.language, page);
    const { mail, messageId, secret, base, reader } = await this.#templates.get(notification, language.code);
    const token = manageToken(secret, recipient);
    await this.#mailer.sendRaw(
      recipient.email,
      mail.fill({
        to: recipient.email,
        manage: readerLink(base, `/subscriptions/${token}`, reader),
        unsubscribe: readerLink(base, `/subscriptions/${token}/unsubscribe`, reader),
      }),
      messageId,
    );
  }

  classify(error: unknown): SendFailure {
    const message = error instanceof Error ? error.message : String(error);
    return { permanent: isPermanentMailError(error), message: message.slice(0, 500) };
  }

  close(): void {
    this.#mailer.close();
  }

  async #build(notification: Notification, language: string): Promise<BuiltMail> {
    const { settings, incident, page } = await this.#views.get(notification);
    const base = publicBase(settings.base_url, this.#baseUrl);
    const reader = readerOf(readerLanguage(language, page), page);
    const template = emailTemplate({
      pageName: settings.page_name,
      baseUrl: base,
      timeZone: settings.time_zone,
      incident,
      updateId: notification.update_id,
      event: notification.event,
      reader,
    });
    const mime = emailMime(template, this.#mailer.from, new Date(notification.created_at));
    observeRender(this.channel, reader.language.code);
    return {
      mail: new SlottedMail(fillMime(mime, MARKS)),
      messageId: template.messageId,
      secret: settings.link_secret,
      base,
      reader,
    };
  }
}

type Slot = 'to' | 'manage' | 'unsubscribe';
// NULs never reach a template from what editors write (render/email-message.ts drops them).
const MARKS: Record<Slot, string> = {
  to: '\u0000@to\u0000',
  manage: '\u0000@manage\u0000',
  unsubscribe: '\u0000@unsubscribe\u0000',
};
const MARK = /\u0000@(to|manage|unsubscribe)\u0000/;

/**
 * The composed mail as bytes between the slots, so that each recipient's copy is one buffer
 * written straight from those bytes and three short strings: no copy of the whole text per mail.
 */
class SlottedMail {
  #parts: Array<Buffer | Slot> = [];
  #fixedBytes = 0;

  constructor(raw: string) {
    const pieces = raw.split(MARK);
    pieces.forEach((piece, i) => {
      if (i % 2 === 1) this.#parts.push(piece as Slot);
      else if (piece) {
        const bytes = Buffer.from(piece, 'utf8');
        this.#fixedBytes += bytes.length;
        this.#parts.push(bytes);
      }
    });
  }

  fill(slots: Record<Slot, string>): Buffer {
    let size = this.#fixedBytes;
    for (const part of this.#parts) if (typeof part === 'string') size += Buffer.byteLength(slots[part]);
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    for (const part of this.#parts)
      at += typeof part === 'string' ? out.write(slots[part], at, 'utf8') : part.copy(out, at);
    return out;
  }
}
