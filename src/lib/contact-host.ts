import { isIP } from 'node:net';

// Names reserved for documentation, tests and the local machine (RFC 2606, RFC 6761, RFC 6762):
// nobody outside answers at them.
const PLACEHOLDER_SUFFIXES = ['.test', '.invalid', '.localhost', '.example', '.local'];
const PLACEHOLDER_DOMAINS = ['localhost', 'example.com', 'example.net', 'example.org'];

/**
 * Whether a host cannot be a contact that others reach: the loopback or unspecified address, or
 * a name reserved for examples, tests or the local machine. Hosts are compared lower-cased, with
 * IPv6 brackets and a trailing dot removed.
 */
export function isPlaceholderHost(host: string): boolean {
  const name = host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (name === '') return true;
  if (isIP(name) === 4) return name.startsWith('127.') || name === '0.0.0.0';
  if (isIP(name) === 6) {
    if (name === '::1' || name === '::') return true;
    // An IPv4-mapped address, as written (::ffff:127.0.0.1) or as URLs normalise it (::ffff:7f00:1).
    const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name)?.[1];
    const hex = /^::ffff:([\da-f]{1,4}):([\da-f]{1,4})$/.exec(name);
    const v4 = hex
      ? [parseInt(hex[1] ?? '0', 16), parseInt(hex[2] ?? '0', 16)].flatMap((w) => [w >> 8, w & 255]).join('.')
      : dotted;
    return v4 !== undefined && isPlaceholderHost(v4);
  }
  return (
    PLACEHOLDER_DOMAINS.some((d) => name === d || name.endsWith(`.${d}`)) ||
    PLACEHOLDER_SUFFIXES.some((suffix) => name.endsWith(suffix))
  );
}

/** The bare address of a mailbox, plain or in the display-name form `Acme Status <status@acme.com>`. */
export function mailAddressOf(mailbox: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(mailbox);
  return (angle?.[1] ?? mailbox).trim();
}

/** The host after the last `@` of an address; empty when there is none. */
export function mailDomainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1 ? '' : address.slice(at + 1);
}

/** The host a mailto: or https: contact names; empty when it names none. */
export function contactHostOf(contact: string): string {
  if (contact.startsWith('mailto:')) return mailDomainOf(contact.slice('mailto:'.length).split('?')[0] ?? '');
  return URL.canParse(contact) ? new URL(contact).hostname : '';
}
