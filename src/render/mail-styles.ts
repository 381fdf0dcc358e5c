/**
 * The inline styles of the notification mail (mail clients want them inline). The console's
 * Content-Security-Policy allows exactly these by hash, because the composer previews the mail in
 * a srcdoc frame that inherits the console's policy (src/http/security-headers.ts).
 */
export const MAIL_STYLES = {
  body: 'font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937;max-width:40rem',
  muted: 'color:#4b5563;margin:0',
  heading: 'font-size:1.25rem;margin:.25rem 0',
  rule: 'border:0;border-top:1px solid #e5e7eb',
  footer: 'color:#4b5563;font-size:.85rem',
} as const;
