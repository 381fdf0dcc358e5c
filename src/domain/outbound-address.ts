/**
 * Which IP addresses an outbound webhook may reach. Herald posts to URLs that subscribers give,
 * so a URL must not be able to point the server at itself, its network or a cloud metadata
 * service. Only public unicast addresses pass; v6 forms that carry a v4 address (mapped,
 * compatible, NAT64, 6to4) are judged by the v4 address inside. Pure: parsing and tables only.
 */

export type IpAddress = { version: 4 | 6; value: bigint };

export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation';

export type AddressClass = {
  kind: AddressKind;
  /** The range it falls in, for people: "the loopback range 127.0.0.0/8". */
  range: string;
  /** The v4 address carried inside a v6 one, when that decided the kind. */
  embedded?: { address: string; via: string };
};

type Range = { cidr: string; kind: AddressKind; name: string };
/** v6 ranges whose low 32 bits (or bits 80–111 for 6to4) are a v4 address. */
type Embedding = { cidr: string; name: string; shift: bigint; whenPublic: 'public' | 'reserved' };

// IANA's IPv4 Special-Purpose Address Registry, plus multicast and the old class E.
const V4_RANGES: Range[] = [
  { cidr: '0.0.0.0/8', kind: 'unspecified', name: '"this network"' },
  { cidr: '10.0.0.0/8', kind: 'private', name: 'private' },
  { cidr: '100.64.0.0/10', kind: 'shared', name: 'carrier-grade NAT' },
  { cidr: '127.0.0.0/8', kind: 'loopback', name: 'loopback' },
  { cidr: '169.254.0.0/16', kind: 'link-local', name: 'link-local (cloud metadata)' },
  { cidr: '172.16.0.0/12', kind: 'private', name: 'private' },
  { cidr: '192.0.0.0/24', kind: 'reserved', name: 'IETF protocol assignment' },
  { cidr: '192.0.2.0/24', kind: 'documentation', name: 'documentation' },
  { cidr: '192.88.99.0/24', kind: 'reserved', name: '6to4 relay anycast' },
  { cidr: '192.168.0.0/16', kind: 'private', name: 'private' },
  { cidr: '198.18.0.0/15', kind: 'reserved', name: 'benchmarking' },
  { cidr: '198.51.100.0/24', kind: 'documentation', name: 'documentation' },
  { cidr: '203.0.113.0/24', kind: 'documentation', name: 'documentation' },
  { cidr: '224.0.0.0/4', kind: 'multicast', name: 'multicast' },
  { cidr: '240.0.0.0/4', kind: 'reserved', name: 'reserved' },
  { cidr: '255.255.255.255/32', kind: 'broadcast', name: 'broadcast' },
];

const V6_RANGES: Range[] = [
  { cidr: '::/128', kind: 'unspecified', name: 'unspecified' },
  { cidr: '::1/128', kind: 'loopback', name: 'loopback' },
  { cidr: '64:ff9b:1::/48', kind: 'private', name: 'local-use NAT64' },
  { cidr: '100::/64', kind: 'reserved', name: 'discard-only' },
  // Teredo tunnels to an obfuscated v4 address; nothing Herald posts to lives there.
  { cidr: '2001::/32', kind: 'reserved', name: 'Teredo' },
  { cidr: '2001:db8::/32', kind: 'documentation', name: 'documentation' },
  { cidr: '2001::/23', kind: 'reserved', name: 'IETF protocol assignment' },
  { cidr: '3fff::/20', kind: 'documentation', name: 'documentation' },
  { cidr: 'fc00::/7', kind: 'private', name: 'unique local' },
  { cidr: 'fe80::/10', kind: 'link-local', name: 'link-local' },
  { cidr: 'fec0::/10', kind: 'private', name: 'site-local' },
  { cidr: 'ff00::/8', kind: 'multicast', name: 'multicast' },
];

const V6_EMBEDDINGS: Embedding[] = [
  { cidr: '::ffff:0:0/96', name: 'IPv4-mapped', shift: 0n, whenPublic: 'public' },
  { cidr: '::ffff:0:0:0/96', name: 'IPv4-translated', shift: 0n, whenPublic: 'reserved' },
  { cidr: '::/96', name: 'IPv4-compatible', shift: 0n, whenPublic: 'reserved' },
  { cidr: '64:ff9b::/96', name: 'NAT64', shift: 0n, whenPublic: 'public' },
  { cidr: '2002::/16', name: '6to4', shift: 80n, whenPublic: 'public' },
];

/** Only 2000::/3 is handed out as global unicast; the rest of the v6 space is not for us. */
const GLOBAL_UNICAST = '2000::/3';

export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = parseV6(text);
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

/** Dotted decimal only: leading zeros are refused, as some parsers read them as octal. */
function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  // A zone (fe80::1%eth0) names an interface, not an address: the address alone is judged.
  const zone = text.indexOf('%');
  const address = zone === -1 ? text : zone < text.length - 1 ? text.slice(0, zone) : '';
  if (!/^[0-9a-fA-F:.]+$/.test(address)) return undefined;
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const head = groups(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1] ?? '', true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail].reduce(
    (value, group) => (value << 16n) | BigInt(group),
    0n,
  );
}

/** The 16-bit groups of one side of "::"; a dotted v4 address may end the last side. */
function groups(text: string, mayEndWithV4: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const out: number[] = [];
  for (const [i, part] of parts.entries()) {
    if (part.includes('.')) {
      const v4 = i === parts.length - 1 && mayEndWithV4 ? parseV4(part) : undefined;
      if (v4 === undefined) return undefined;
      out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(parseInt(part, 16));
    else return undefined;
  }
  return out;
}

export function formatV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

export type Cidr = { version: 4 | 6; base: bigint; prefix: number };

export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefixText, ...rest] = text.split('/');
  const ip = parseIp(address);
  if (!ip || rest.length > 0) return undefined;
  const bits = ip.version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { version: ip.version, base: ip.value & mask(bits, prefix), prefix };
}

export function inCidr(ip: IpAddress, cidr: Cidr): boolean {
  const bits = ip.version === 4 ? 32 : 128;
  return ip.version === cidr.version && (ip.value & mask(bits, cidr.prefix)) === cidr.base;
}

function mask(bits: number, prefix: number): bigint {
  return ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
}

const parsed = <T extends { cidr: string }>(table: T[]) =>
  table
    .map((entry) => ({ ...entry, range: parseCidr(entry.cidr) as Cidr }))
    // The narrowest range decides: 2001:db8::/32 is documentation inside 2001::/23.
    .sort((a, b) => b.range.prefix - a.range.prefix);
const V4 = parsed(V4_RANGES);
const V6 = parsed(V6_RANGES);
const EMBEDDINGS = parsed(V6_EMBEDDINGS);
const GLOBAL = parseCidr(GLOBAL_UNICAST) as Cidr;

/** The class of an address, or undefined when the text is not an IP address. */
export function classifyAddress(text: string): AddressClass | undefined {
  const ip = parseIp(text);
  return ip && classify(ip);
}

function classify(ip: IpAddress): AddressClass {
  const table = ip.version === 4 ? V4 : V6;
  const hit = table.find((entry) => inCidr(ip, entry.range));
  if (hit) return { kind: hit.kind, range: `the ${hit.name} range ${hit.cidr}` };
  if (ip.version === 4) return { kind: 'public', range: 'the public unicast space' };
  const embedding = EMBEDDINGS.find((entry) => inCidr(ip, entry.range));
  if (embedding) {
    const v4 = (ip.value >> embedding.shift) & 0xffffffffn;
    const inner = classify({ version: 4, value: v4 });
    const embedded = { address: formatV4(v4), via: embedding.name };
    if (inner.kind !== 'public') return { kind: inner.kind, range: inner.range, embedded };
    if (embedding.whenPublic === 'public') return { kind: 'public', range: 'the public unicast space', embedded };
    return { kind: 'reserved', range: `the ${embedding.name} range ${embedding.cidr}` };
  }
  if (inCidr(ip, GLOBAL)) return { kind: 'public', range: 'the public unicast space' };
  return { kind: 'reserved', range: `the space outside global unicast ${GLOBAL_UNICAST}` };
}

export function isPublicAddress(text: string): boolean {
  return classifyAddress(text)?.kind === 'public';
}

/** Why an address is refused, in words for the subscriber and the delivery log. */
export function describeAddress(text: string): string {
  const found = classifyAddress(text);
  if (!found) return `${text} is not an IP address`;
  if (found.embedded) return `${text} carries ${found.embedded.address} (${found.embedded.via}), in ${found.range}`;
  return `${text} is in ${found.range}`;
}

/**
 * The owner's exceptions, for tests and internal receivers: each entry is a hostname
 * (`localhost`, matched whatever it resolves to) or an address or CIDR (`127.0.0.1/32`,
 * `::1/128`, `10.1.0.0/16`), matched against every address the host resolves to.
 */
export function allowed(host: string, ip: string | undefined, allowlist: readonly string[]): boolean {
  const name = normalHost(host);
  const address = ip === undefined ? undefined : parseIp(ip);
  return allowlist.some((entry) => {
    const cidr = parseCidr(entry);
    if (!cidr) return normalHost(entry) === name;
    return address !== undefined && (inCidr(address, cidr) || inCidr(unmapped(address), cidr));
  });
}

/** The entries that are neither a hostname nor an address or CIDR, for the setting's validation. */
export function invalidAllowlistEntries(allowlist: readonly string[]): string[] {
  return allowlist.filter((entry) => !parseCidr(entry) && !isHostname(entry));
}

export function isHostname(text: string): boolean {
  const name = text.replace(/\.$/, '');
  return (
    name.length > 0 &&
    name.length <= 253 &&
    name.split('.').every((label) => /^[a-z0-9_][a-z0-9_-]{0,62}$/i.test(label))
  );
}

function normalHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/** ::ffff:127.0.0.1 is 127.0.0.1 on a dual-stack socket, so a v4 entry covers it too. */
function unmapped(ip: IpAddress): IpAddress {
  return ip.version === 6 && ip.value >> 32n === 0xffffn ? { version: 4, value: ip.value & 0xffffffffn } : ip;
}
