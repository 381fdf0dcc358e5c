import * as repo from '../db/mail-outbox-repo.ts';
import type { QueuedMail } from '../db/schema.ts';
import { manageToken } from '../domain/manage-link.ts';
import { publicBase } from '../domain/public-link.ts';
import { localPath, type PageLanguages } from '../i18n/language-path.ts';
import { pageLanguagesOf, readerLanguage } from '../i18n/reader-language.ts';
import type { ServiceContext, Trx } from './context.ts';
import { readSettings } from './settings.ts';

/** What a use case decides to mail, written in its own transaction (see queueMail). */
export type MailIntent =
  /** `language`: the subscriber's, as stored with the request (a code of src/i18n/languages.ts). */
  | { kind: 'subscription-confirm'; to: string; token: string; language: string }
  | { kind: 'subscription-manage'; to: string; subscriberId: number }
  | { kind: 'invitation'; to: string; token: string; role: string; invitedBy: string };

/**
 * Everything a mail's words need, links already made: src/render/transactional-mail.ts words it.
 * A subscriber's mail is in their language (`language`, a code the page offers) and links to their
 * page; an invitation goes to the team and is in English, like the console.
 */
export type MailView =
  | { kind: 'subscription-confirm'; to: string; pageName: string; link: string; language: string; page: PageLanguages }
  | { kind: 'subscription-manage'; to: string; pageName: string; link: string; language: string; page: PageLanguages }
  | { kind: 'invitation'; to: string; pageName: string; link: string; role: string; invitedBy: string };

/** Tells the mail loop there is something to send, once the transaction has committed. */
export const MAIL_TAG = 'mail';

const MAX_ATTEMPTS = 8;

/**
 * Queues a mail inside the transaction of the change that causes it: the subscription request or
 * invitation is stored with its mail or not at all. `touch` wakes the mail loop after commit.
 */
export async function queueMail(
  trx: Trx,
  touch: (...tags: string[]) => void,
  intent: MailIntent,
  at: string,
): Promise<void> {
  const { kind, to, ...payload } = intent;
  await repo.queueMail(trx, { kind, to, payload, at });
  touch(MAIL_TAG);
}

export function invitationLink(base: string, token: string): string {
  return `${base}/invite?token=${encodeURIComponent(token)}`;
}

/** The mails due now, oldest first, as views ready to be worded. */
export async function dueMails(
  ctx: ServiceContext,
  limit: number,
): Promise<Array<{ id: number; attempts: number; view: MailView | null }>> {
  const rows = await repo.dueMails(ctx.db, ctx.now().toISOString(), limit);
  if (rows.length === 0) return [];
  const settings = await readSettings(ctx.db);
  const page = {
    pageName: settings.page_name,
    base: publicBase(settings.base_url, ctx.baseUrl),
    linkSecret: settings.link_secret,
    languages: pageLanguagesOf(settings),
  };
  return Promise.all(
    rows.map(async (row) => ({
      id: row.id,
      attempts: row.attempts,
      view: await viewOf(ctx, row, page),
    })),
  );
}

async function viewOf(
  ctx: ServiceContext,
  row: QueuedMail,
  {
    pageName,
    base,
    linkSecret,
    languages,
  }: { pageName: string; base: string; linkSecret: string; languages: PageLanguages },
): Promise<MailView | null> {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  const to = row.to_address;
  // A link in a subscriber's mail opens their language's page; a mail queued before languages has none.
  const localLink = (path: string, code: unknown) => {
    const language = readerLanguage(typeof code === 'string' ? code : null, languages);
    return { language: language.code, page: languages, link: `${base}${localPath(path, language, languages)}` };
  };
  if (row.kind === 'subscription-confirm')
    return {
      kind: row.kind,
      to,
      pageName,
      ...localLink(`/subscriptions/confirm/${String(payload.token)}`, payload.language),
    };
  if (row.kind === 'invitation')
    return {
      kind: row.kind,
      to,
      pageName,
      link: invitationLink(base, String(payload.token)),
      role: String(payload.role),
      invitedBy: String(payload.invitedBy),
    };
  // The manage link is signed when the mail goes, so it always carries the subscriber's current version.
  // The manage mail is in the subscriber's stored language, whichever page asked for it.
  const subscriber = await repo.linkVersionOf(ctx.db, Number(payload.subscriberId));
  return subscriber
    ? {
        kind: row.kind,
        to,
        pageName,
        ...localLink(`/subscriptions/${manageToken(linkSecret, subscriber)}`, subscriber.language),
      }
    : null;
}

export async function mailSent(ctx: ServiceContext, id: number): Promise<void> {
  await repo.deleteMail(ctx.db, id);
}

/**
 * A send failed: try again later with a growing delay, up to eight times. A confirmation mail
 * that never went out frees its address's hourly allowance, so the person can simply ask again.
 */
export async function mailFailed(
  ctx: ServiceContext,
  mail: { id: number; attempts: number; to: string; kind: string },
  error: string,
  retryBaseMs: number,
): Promise<void> {
  if (mail.attempts + 1 >= MAX_ATTEMPTS) {
    await repo.giveUpMail(ctx.db, { id: mail.id, to: mail.to, subscription: mail.kind !== 'invitation' });
    return;
  }
  const delay = Math.min(3_600_000, retryBaseMs * 2 ** mail.attempts);
  await repo.retryMailAt(ctx.db, mail.id, new Date(ctx.now().getTime() + delay).toISOString(), error.slice(0, 500));
}

export function nextMailDueAt(ctx: ServiceContext): Promise<string | null> {
  return repo.nextMailDueAt(ctx.db);
}
