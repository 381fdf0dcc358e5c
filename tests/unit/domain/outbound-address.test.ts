import { describe, expect, it } from 'vitest';
import {
  allowed,
  classifyAddress,
  describeAddress,
  invalidAllowlistEntries,
  isPublicAddress,
  parseCidr,
  parseIp,
} from '../../../src/domain/outbound-address.ts';

describe('outbound addresses', () => {
  it.each([
    // IPv4
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['169.255.0.1', 'public'],
    // IPv6
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fec0::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001::1', 'reserved'],
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    // v4 inside v6
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:7F00:0001', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'loopback'],
    ['::8.8.8.8', 'reserved'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['64:ff9b:1::1', 'private'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:c0a8:101::', 'private'],
    ['2002:808:808::1', 'public'],
  ])('%s is %s', (ip, kind) => {
    expect(classifyAddress(ip)?.kind).toBe(kind);
    expect(isPublicAddress(ip)).toBe(kind === 'public');
  });

  it.each([
    'localhost',
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '010.0.0.1',
    '0x7f.0.0.1',
    '2130706433',
    ':::1',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '::1:2:3:4:5:6:7:8',
    '12345::1',
    '::1%',
    '::ffff:127.0.0.1.1',
    '127.0.0.1::',
    '[::1]',
  ])('%j is not an IP address, so it is not public either', (text) => {
    expect(parseIp(text)).toBeUndefined();
    expect(isPublicAddress(text)).toBe(false);
  });

  it('says why an address is refused, naming the address a v6 form carries', () => {
    expect(describeAddress('169.254.169.254')).toBe(
      '169.254.169.254 is in the link-local (cloud metadata) range 169.254.0.0/16',
    );
    expect(describeAddress('::ffff:7f00:1')).toBe(
      '::ffff:7f00:1 carries 127.0.0.1 (IPv4-mapped), in the loopback range 127.0.0.0/8',
    );
    expect(describeAddress('4000::1')).toBe('4000::1 is in the space outside global unicast 2000::/3');
    expect(describeAddress('8.8.8.8')).toBe('8.8.8.8 is in the public unicast space');
  });

  it.each([
    ['10.0.0.0/8', { version: 4, prefix: 8 }],
    ['10.1.2.3/8', { version: 4, prefix: 8, base: parseIp('10.0.0.0')?.value }],
    ['127.0.0.1', { version: 4, prefix: 32 }],
    ['::1/128', { version: 6, prefix: 128 }],
    ['fc00::/7', { version: 6, prefix: 7 }],
  ])('reads the CIDR %s', (text, expected) => {
    expect(parseCidr(text)).toMatchObject(expected);
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/8/8', 'localhost/8'])(
    'refuses the CIDR %j',
    (text) => {
      expect(parseCidr(text)).toBeUndefined();
    },
  );
});

describe('the outbound allowlist', () => {
  const list = ['127.0.0.1/32', '::1/128', 'localhost', 'hooks.internal.', '10.1.0.0/16'];
  it.each([
    { host: 'localhost', ip: '127.0.0.1', expected: true },
    { host: 'LOCALHOST.', ip: '10.9.9.9', expected: true },
    { host: 'hooks.internal', ip: '192.168.0.5', expected: true },
    { host: 'example.com', ip: '127.0.0.1', expected: true },
    { host: 'example.com', ip: '127.0.0.2', expected: false },
    { host: 'example.com', ip: '::ffff:127.0.0.1', expected: true },
    { host: 'example.com', ip: '::1', expected: true },
    { host: 'example.com', ip: '10.1.200.3', expected: true },
    { host: 'example.com', ip: '10.2.0.1', expected: false },
    { host: '127.0.0.1', ip: '127.0.0.1', expected: true },
    { host: '[::1]', ip: '::1', expected: true },
    { host: 'evil.localhost', ip: '127.0.0.1', expected: true },
    { host: 'evil.localhost', ip: '127.0.0.9', expected: false },
    { host: 'example.com', ip: undefined, expected: false },
  ])('$host at $ip is allowed: $expected', ({ host, ip, expected }) => {
    expect(allowed(host, ip, list)).toBe(expected);
  });

  it('allows nothing when empty', () => {
    expect(allowed('localhost', '127.0.0.1', [])).toBe(false);
  });

  it('names the entries that are neither hostnames nor CIDRs', () => {
    expect(invalidAllowlistEntries(['localhost', '127.0.0.1/32', 'http://x', '10.0.0.0/99', 'a..b', ''])).toEqual([
      'http://x',
      '10.0.0.0/99',
      'a..b',
      '',
    ]);
  });
});
