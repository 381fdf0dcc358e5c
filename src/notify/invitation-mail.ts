import type { Runtime } from '../runtime.ts';
import { readSettings } from '../services/settings.ts';
import { publicBase } from '../domain/public-link.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The link an invitee opens to choose a password; shown to the owner once and mailed. */
export async function invitationLink(runtime: Runtime, token: string): Promise<string> {
  const settings = await readSettings(runtime.db);
  return `${publicBase(settings.base_url, runtime.config.baseUrl.href)}/invite?token=${encodeURIComponent(token)}`;
}

/**
 * Mails the invitation. A failure is reported, not thrown: the owner still has the link to pass
 * on another way, and the invitation itself is already stored.
 */
export async function sendInvitationMail(runtime: Runtime, invitation: { email: string; role: string; link: string; invitedBy: string }): Promise<boolean> {
  const page = (await readSettings(runtime.db)).page_name;
  const lead = `${invitation.invitedBy} invited you to the ${page} status page console as ${invitation.role}.`;
  const tail = 'The link works once, for seven days. If you did not expect this, ignore this mail.';
  try {
    await runtime.mailer.send({
      to: invitation.email,
      subject: `[${page}] You are invited to the status page console`,
      text: `${lead}\n\nChoose your password: ${invitation.link}\n\n${tail}\n`,
      html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5"><p>${escapeHtml(lead)}</p><p><a href="${escapeHtml(invitation.link)}">Choose your password</a></p><p style="color:#4b5563">${escapeHtml(tail)}</p></body></html>`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    return true;
  } catch (error) {
    console.error(`[notify] could not mail the invitation to ${invitation.email}:`, error instanceof Error ? error.message : error);
    return false;
  }
}
