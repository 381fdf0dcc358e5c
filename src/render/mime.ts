import { randomBytes } from 'node:crypto';
import { encodeWords } from 'nodemailer/lib/mime-funcs';

/**
 * A notification mail composed once, with slots for what differs per recipient (the address and
 * the personal links). Composing MIME with nodemailer costs about a millisecond a mail, which for
 * a hundred thousand subscribers is most of the fan-out; filling slots costs microseconds.
 * Bodies go as 8bit UTF-8 with lines kept under SMTP's 998-octet limit.
 */
export type MimeTemplate = { raw: string };

export type MimeSlots = { to: string; manage: string; unsubscribe: string };

const SLOT = { to: '\u0000TO\u0000', manage: '\u0000MANAGE\u0000', unsubscribe: '\u0000UNSUB\u0000' } as const;
export const MANAGE_SLOT = SLOT.manage;
export const UNSUBSCRIBE_SLOT = SLOT.unsubscribe;

/** Long lines are broken at a space (or hard, at 900 octets): SMTP refuses lines over 998. */
function shortLines(text: string): string {
  return text
    .replace(/\r?\n/g, '\n')
    .split('\n')
    .flatMap((line) => {
      const out: string[] = [];
      let rest = line;
      while (Buffer.byteLength(rest) > 900) {
        const cut = rest.lastIndexOf(' ', 700);
        const at = cut > 100 ? cut : 700;
        out.push(rest.slice(0, at));
        rest = rest.slice(at).replace(/^ /, '');
      }
      out.push(rest);
      return out;
    })
    .join('\r\n');
}

const header = (name: string, value: string) => `${name}: ${value.replace(/[\r\n]+/g, ' ')}\r\n`;

export function composeMime(input: {
  from: string;
  subject: string;
  messageId: string;
  inReplyTo?: string;
  date: Date;
  /** May contain MANAGE_SLOT and UNSUBSCRIBE_SLOT. */
  text: string;
  html: string;
}): MimeTemplate {
  const boundary = `----herald-${randomBytes(12).toString('hex')}`;
  const fromMatch = /^(.*)<([^>]+)>\s*$/.exec(input.from);
  const from = fromMatch
    ? `${encodeWords(fromMatch[1]?.trim().replace(/^"|"$/g, '') ?? '', 'Q', 52)} <${fromMatch[2]}>`
    : input.from;
  const raw =
    header('From', from) +
    header('To', SLOT.to) +
    header('Subject', encodeWords(input.subject, 'Q', 52)) +
    header('Date', input.date.toUTCString().replace('GMT', '+0000')) +
    header('Message-ID', input.messageId) +
    (input.inReplyTo ? header('In-Reply-To', input.inReplyTo) + header('References', input.inReplyTo) : '') +
    header('List-Unsubscribe', `<${SLOT.unsubscribe}>`) +
    header('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click') +
    header('Auto-Submitted', 'auto-generated') +
    header('MIME-Version', '1.0') +
    header('Content-Type', `multipart/alternative; boundary="${boundary}"`) +
    '\r\n' +
    `--${boundary}\r\n` +
    'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' +
    `${shortLines(input.text)}\r\n` +
    `--${boundary}\r\n` +
    'Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' +
    `${shortLines(input.html.replace(/></g, '>\n<'))}\r\n` +
    `--${boundary}--\r\n`;
  return { raw };
}

export function fillMime(template: MimeTemplate, slots: MimeSlots): string {
  return template.raw
    .replaceAll(SLOT.to, slots.to)
    .replaceAll(SLOT.manage, slots.manage)
    .replaceAll(SLOT.unsubscribe, slots.unsubscribe);
}
