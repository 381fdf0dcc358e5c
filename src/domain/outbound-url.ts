/**
 * Whether a subscriber-given URL may be posted to, judged from its text alone: at subscribe time
 * (to answer the subscriber at once) and again before each send. An IP-literal host is judged
 * here; a name only by the addresses it resolves to (`localhost` included), which
 * src/notify/outbound-post.ts checks when it subscribes and when it posts. Pure.
 */
import { allowed, describeAddress, isPublicAddress, parseIp } from './outbound-address.ts';

export const MAX_URL_LENGTH = 2000;

export type TargetRules = {
  /** Plain http, for receivers on a local network the owner trusts. */
  allowHttp?: boolean;
  /** Hostnames and CIDRs that may be reached although not public (src/domain/outbound-address.ts). */
  allowlist?: readonly string[];
};

export type Target = {
  url: URL;
  protocol: 'https:' | 'http:';
  /** The hostname without brackets, lowercased: what TLS verifies and the Host header names. */
  host: string;
  port: number;
  /** Set when the host is an IP literal: the address to connect to, already checked. */
  ip?: string;
  /** The host is on the allowlist by name: any address it resolves to may be reached. */
  allowlistedName: boolean;
};

export type TargetCheck = { ok: true; target: Target } | { ok: false; reason: string };

export function checkTargetUrl(raw: string, rules: TargetRules = {}): TargetCheck {
  const refuse = (reason: string): TargetCheck => ({ ok: false, reason });
  const allowlist = rules.allowlist ?? [];
  if (raw.length > MAX_URL_LENGTH) return refuse(`must be at most ${MAX_URL_LENGTH} characters long`);
  // The URL parser drops tabs and newlines silently; what is posted to must be what was shown.
  if (/[\s\p{Cc}]/u.test(raw)) return refuse('must not contain spaces or control characters');
  const schemes = rules.allowHttp ? 'https:// or http://' : 'https://';
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(raw)?.[0].toLowerCase();
  if (scheme !== 'https://' && !(rules.allowHttp && scheme === 'http://')) return refuse(`must start with ${schemes}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('is not a valid URL');
  }
  if (url.username !== '' || url.password !== '') return refuse('must not contain credentials (user:password@)');
  // A fragment is never sent, so a URL with one is not the URL the receiver sees.
  if (raw.includes('#')) return refuse('must not contain a fragment (#…)');
  const protocol = url.protocol === 'http:' ? 'http:' : 'https:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === '') return refuse('must name a host');
  const port = url.port === '' ? (protocol === 'https:' ? 443 : 80) : Number(url.port);
  const ip = parseIp(host) ? host : undefined;
  const allowlistedName = allowed(host, undefined, allowlist);
  const listed = allowlistedName || (ip !== undefined && allowed(host, ip, allowlist));
  // Ports under 1024 other than the web's belong to other protocols (SSH, SMTP, …) a POST could be smuggled into.
  if (!listed && port < 1024 && port !== 443 && port !== 80)
    return refuse(`must not use port ${port} (use 443, 80 or a port from 1024 up)`);
  if (ip !== undefined && !listed && !isPublicAddress(ip))
    return refuse(`must point at a public address: ${describeAddress(ip)}`);
  return { ok: true, target: { url, protocol, host, port, ...(ip === undefined ? {} : { ip }), allowlistedName } };
}
