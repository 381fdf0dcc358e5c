import type { Runtime } from '../runtime.ts';
import type { SubscribeOutcome } from '../services/subscribers.ts';
import { readSettings } from '../services/settings.ts';
import { manageToken } from '../domain/manage-link.ts';
import { publicBase } from '../domain/public-link.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Sends the one mail a subscription request may cause. A failed send clears the hourly limit so
 * the person can simply try again.
 */
export async function sendSubscriptionMail(runtime: Runtime, outcome: SubscribeOutcome): Promise<void> {
  if (outcome.send === 'nothing') return;
  const settings = await readSettings(runtime.db);
  const base = publicBase(settings.base_url, runtime.config.baseUrl.href);
  const page = settings.page_name;
  const mail =
    outcome.send === 'confirmation'
      ? {
          subject: `[${page}] Confirm your subscription`,
          link: `${base}/subscriptions/confirm/${outcome.token}`,
          lead: `Someone, hopefully you, asked to receive ${page} status updates at this address.`,
          action: 'Confirm your subscription',
          tail: 'The link works once, for 48 hours. If you did not ask for this, ignore this mail: nothing more will be sent.',
        }
      : {
          subject: `[${page}] Your subscription`,
          link: `${base}/subscriptions/${manageToken(settings.link_secret, outcome.subscriber)}`,
          lead: `This address already receives ${page} status updates.`,
          action: 'Choose components or unsubscribe',
          tail: 'If you did not ask for this mail, ignore it.',
        };
  try {
    await runtime.mailer.send({
      to: outcome.email,
      subject: mail.subject,
      text: `${mail.lead}\n\n${mail.action}: ${mail.link}\n\n${mail.tail}\n`,
      html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5"><p>${escapeHtml(mail.lead)}</p><p><a href="${escapeHtml(mail.link)}">${escapeHtml(mail.action)}</a></p><p style="color:#4b5563">${escapeHtml(mail.tail)}</p></body></html>`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  } catch (error) {
    console.error(`[notify] could not send the subscription mail to ${outcome.email}:`, error instanceof Error ? error.message : error);
    await runtime.db.updateTable('subscribers').set({ confirm_sent_at: null }).where('email', '=', outcome.email).execute();
  }
}
