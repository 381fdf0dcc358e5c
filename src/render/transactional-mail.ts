import type { MailView } from '../services/transactional-mail.ts';
import { escapeHtml } from './escape-html.ts';

export type WordedMail = { to: string; subject: string; text: string; html: string; headers: Record<string, string> };

function words(view: MailView): { subject: string; lead: string; action: string; tail: string } {
  const page = view.pageName;
  if (view.kind === 'subscription-confirm') {
    return {
      subject: `[${page}] Confirm your subscription`,
      lead: `Someone, hopefully you, asked to receive ${page} status updates at this address.`,
      action: 'Confirm your subscription',
      tail: 'The link works once, for 48 hours. If you did not ask for this, ignore this mail: nothing more will be sent.',
    };
  }
  if (view.kind === 'subscription-manage') {
    return {
      subject: `[${page}] Your subscription`,
      lead: `This address already receives ${page} status updates.`,
      action: 'Choose components or unsubscribe',
      tail: 'If you did not ask for this mail, ignore it.',
    };
  }
  return {
    subject: `[${page}] You are invited to the status page console`,
    lead: `${view.invitedBy} invited you to the ${page} status page console as ${view.role}.`,
    action: 'Choose your password',
    tail: 'The link works once, for seven days. If you did not expect this, ignore this mail.',
  };
}

/** The mails a person causes by asking (a subscription, an invitation): one link, plain words. */
export function wordMail(view: MailView): WordedMail {
  const { subject, lead, action, tail } = words(view);
  return {
    to: view.to,
    subject,
    text: `${lead}\n\n${action}: ${view.link}\n\n${tail}\n`,
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5"><p>${escapeHtml(lead)}</p><p><a href="${escapeHtml(view.link)}">${escapeHtml(action)}</a></p><p style="color:#4b5563">${escapeHtml(tail)}</p></body></html>`,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}
