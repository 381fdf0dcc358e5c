import { languageOf } from '../i18n/languages.ts';
import type { MailView } from '../services/transactional-mail.ts';
import { escapeHtml } from './escape-html.ts';
import { readerOf } from './reader.ts';

export type WordedMail = { to: string; subject: string; text: string; html: string; headers: Record<string, string> };

type Words = {
  subject: string;
  lead: string;
  action: string;
  /** The action and its link, for the plain-text part. */
  actionLine: string;
  tail: string;
  lang: string;
  dir: 'ltr' | 'rtl';
};

function words(view: MailView): Words {
  const page = view.pageName;
  if (view.kind === 'invitation') {
    // The team's console is in English, and so is the mail that brings someone to it.
    return {
      subject: `[${page}] You are invited to the status page console`,
      lead: `${view.invitedBy} invited you to the ${page} status page console as ${view.role}.`,
      action: 'Choose your password',
      actionLine: `Choose your password: ${view.link}`,
      tail: 'The link works once, for seven days. If you did not expect this, ignore this mail.',
      lang: 'en',
      dir: 'ltr',
    };
  }
  const language = languageOf(view.language) ?? view.page.defaultLanguage;
  const { t } = readerOf(language, view.page);
  const confirm = view.kind === 'subscription-confirm';
  const action = confirm ? t('notify.confirm.action') : t('notify.manage.action');
  return {
    subject: confirm ? t('notify.confirm.subject', { page }) : t('notify.manage.subject', { page }),
    lead: confirm ? t('notify.confirm.lead', { page }) : t('notify.manage.lead', { page }),
    action,
    actionLine: t('notify.actionLine', { action, link: view.link }),
    tail: confirm ? t('notify.confirm.tail') : t('notify.manage.tail'),
    lang: language.code,
    dir: language.dir,
  };
}

/**
 * The mails a person causes by asking (a subscription, an invitation): one link, plain words; a
 * subscriber's in their language.
 */
export function wordMail(view: MailView): WordedMail {
  const { subject, lead, action, actionLine, tail, lang, dir } = words(view);
  return {
    to: view.to,
    subject,
    text: `${lead}\n\n${actionLine}\n\n${tail}\n`,
    html: `<!doctype html><html lang="${lang}" dir="${dir}"><body style="font-family:system-ui,sans-serif;line-height:1.5"><p>${escapeHtml(lead)}</p><p><a href="${escapeHtml(view.link)}">${escapeHtml(action)}</a></p><p style="color:#4b5563">${escapeHtml(tail)}</p></body></html>`,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}
