import { BlockList, isIP } from 'node:net';

// Set on each request by Astro's Node adapter: the address of the socket's peer.
const CLIENT_ADDRESS = Symbol.for('astro.clientAddress');

/**
 * Which proxies in front of Herald may speak for the client through X-Forwarded-For: none, a
 * number of hops (each proxy appends the address it saw), or the proxies' own addresses.
 */
export type TrustProxy = { hops: number } | { proxies: BlockList };

export const TRUST_NO_PROXY: TrustProxy = { hops: 0 };

/** `false`, `true` (one hop), a hop count, or a comma-separated list of addresses and CIDR ranges. */
export function parseTrustProxy(value: string): TrustProxy | string {
  const text = value.trim();
  if (text === '' || text === 'false' || text === '0') return TRUST_NO_PROXY;
  if (text === 'true') return { hops: 1 };
  if (/^\d+$/.test(text)) return { hops: Number(text) };
  const proxies = new BlockList();
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    if (family === 0)
      return `HERALD_TRUST_PROXY: "${entry}" is neither an address, a CIDR range, a hop count nor true/false`;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) proxies.addAddress(address, type);
    else if (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128))
      proxies.addSubnet(address, Number(prefix), type);
    else return `HERALD_TRUST_PROXY: "${entry}" has an invalid prefix length`;
  }
  return { proxies };
}

const bare = (address: string) =>
  address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;

function trusted(proxies: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && proxies.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The caller's address. X-Forwarded-For is read from the right, where our own proxies wrote:
 * the client is the right-most address that is not one of them. A client can put anything at the
 * left of the header, so the left-most entry is never believed unless every hop is trusted.
 */
export function clientAddress(request: Request, trust: TrustProxy): string {
  const peer: unknown = Reflect.get(request, CLIENT_ADDRESS);
  const socket = typeof peer === 'string' ? bare(peer) : 'unknown';
  if ('hops' in trust && trust.hops === 0) return socket;
  const forwarded = (request.headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => bare(part.trim()))
    .filter(Boolean);
  const chain = [...forwarded, socket];
  if ('hops' in trust) return chain[Math.max(0, chain.length - 1 - trust.hops)] ?? socket;
  for (let i = chain.length - 1; i > 0; i--) {
    const address = chain[i] ?? '';
    if (!trusted(trust.proxies, address)) return address;
  }
  return chain[0] ?? socket;
}
