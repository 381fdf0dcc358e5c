import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { MailConfig } from '../config.ts';
import { SmtpLanes } from './smtp-lanes.ts';

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId?: string;
  headers?: Record<string, string>;
  inReplyTo?: string;
  references?: string;
  /** RFC 2369/8058 unsubscribe link; DKIM covers it and List-Unsubscribe-Post. */
  listUnsubscribe?: string;
};

export interface Mailer {
  readonly from: string;
  send(mail: OutgoingMail): Promise<void>;
  /**
   * A message composed already (src/render/mime.ts), to one recipient, as its bytes are. Over
   * SMTP it goes through connections of its own (smtp-lanes.ts); the Message-ID, when given,
   * spares the .eml writer making one up.
   */
  sendRaw(to: string, raw: string | Buffer, messageId?: string): Promise<void>;
  close(): void;
  describe(): string;
}

/** The bare address of "Name <address>", for the SMTP envelope. */
function envelopeFrom(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from;
}

/** Whether a send failure is worth retrying (4xx, network) or final (5xx: the address is bad). */
export function isPermanentMailError(error: unknown): boolean {
  const code =
    typeof error === 'object' && error !== null && 'responseCode' in error ? Number(error.responseCode) : NaN;
  return code >= 500 && code < 600;
}

function toNodemailer(from: string, mail: OutgoingMail): SendMailOptions {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    ...(mail.messageId ? { messageId: mail.messageId } : {}),
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references ? { references: mail.references } : {}),
    headers: {
      ...(mail.headers ?? {}),
      ...(mail.listUnsubscribe
        ? { 'List-Unsubscribe': `<${mail.listUnsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {}),
    },
  };
}

// nodemailer's default DKIM header list leaves List-Unsubscribe-Post out; RFC 8058 asks that
// the signature cover it (and List-Unsubscribe), or one-click unsubscribe can be forged.
const DKIM_HEADERS =
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:In-Reply-To:References:List-Unsubscribe:List-Unsubscribe-Post';

/** SMTP through nodemailer's pooled transport, or .eml files when no SMTP server is configured. */
export function createMailer(config: MailConfig): Mailer {
  const dkim = config.dkim ? { ...config.dkim, headerFieldNames: DKIM_HEADERS } : undefined;
  if (config.smtpUrl) {
    const url = new URL(config.smtpUrl);
    const transport = nodemailer.createTransport({
      pool: true,
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
      secure: url.protocol === 'smtps:',
      ...(url.username
        ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
        : {}),
      maxConnections: config.connections,
      maxMessages: Infinity,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // Local test servers and sinks speak plain SMTP; TLS is used whenever the server offers it.
      tls: { rejectUnauthorized: url.searchParams.get('tls') !== 'insecure' },
      ...(dkim ? { dkim } : {}),
    });
    const sender = envelopeFrom(config.from);
    // Notifications (composed once, sent to many) go through lanes of their own; single mails
    // such as confirmations through nodemailer's pooled transport.
    const lanes = new SmtpLanes(
      {
        host: url.hostname,
        port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
        secure: url.protocol === 'smtps:',
        ...(url.username
          ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
          : {}),
        tls: { rejectUnauthorized: url.searchParams.get('tls') !== 'insecure' },
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
        ...(dkim ? { dkim } : {}),
      },
      config.connections,
    );
    return {
      from: config.from,
      send: async (mail) => void (await transport.sendMail(toNodemailer(config.from, mail))),
      sendRaw: (to, raw) => lanes.send(sender, to, raw),
      close: () => {
        lanes.close();
        transport.close();
      },
      describe: () =>
        `SMTP ${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)} (${config.connections} connections)`,
    };
  }
  mkdirSync(config.dir, { recursive: true });
  const transport = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'unix',
    ...(dkim ? { dkim } : {}),
  });
  let counter = 0;
  const save = (message: Buffer | string) => {
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++counter}.eml`;
    writeFileSync(join(config.dir, name), message);
  };
  return {
    from: config.from,
    send: async (mail) => save((await transport.sendMail(toNodemailer(config.from, mail))).message as Buffer),
    sendRaw: async (to, raw, messageId) =>
      save(
        (
          await transport.sendMail({
            envelope: { from: envelopeFrom(config.from), to },
            raw,
            ...(messageId ? { messageId } : {}),
          })
        ).message as Buffer,
      ),
    close: () => transport.close(),
    describe: () => `no SMTP_URL: writing each mail as an .eml file under ${config.dir}`,
  };
}
