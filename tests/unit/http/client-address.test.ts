import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustProxy, type TrustProxy } from '../../../src/http/client-address.ts';

function requestFrom(peer: string, forwardedFor?: string): Request {
  const request = new Request(
    'http://status.example.com/',
    forwardedFor ? { headers: { 'x-forwarded-for': forwardedFor } } : {},
  );
  Reflect.set(request, Symbol.for('astro.clientAddress'), peer);
  return request;
}

const trust = (value: string): TrustProxy => {
  const parsed = parseTrustProxy(value);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

describe('the client address behind proxies', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(clientAddress(requestFrom('203.0.113.9', '198.51.100.1'), trust('false'))).toBe('203.0.113.9');
  });

  it('takes the address our one proxy appended, not the one the client wrote at the left', () => {
    // The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the address it saw.
    expect(clientAddress(requestFrom('10.0.0.2', '1.1.1.1, 203.0.113.9'), trust('true'))).toBe('203.0.113.9');
    expect(clientAddress(requestFrom('10.0.0.2', '1.1.1.1, 203.0.113.9'), trust('1'))).toBe('203.0.113.9');
  });

  it('counts hops from the right', () => {
    expect(clientAddress(requestFrom('10.0.0.3', '1.1.1.1, 203.0.113.9, 10.0.0.2'), trust('2'))).toBe('203.0.113.9');
  });

  it('walks past trusted proxy addresses and CIDR ranges to the right-most untrusted hop', () => {
    const proxies = trust('10.0.0.0/8, 2001:db8::1');
    expect(clientAddress(requestFrom('10.0.0.3', '1.1.1.1, 203.0.113.9, 10.1.2.3'), proxies)).toBe('203.0.113.9');
    expect(clientAddress(requestFrom('2001:db8::1', '203.0.113.7'), proxies)).toBe('203.0.113.7');
    // A request straight from a client that is not a proxy: its own header is not believed.
    expect(clientAddress(requestFrom('198.51.100.5', '1.1.1.1'), proxies)).toBe('198.51.100.5');
  });

  it('reads IPv4-mapped IPv6 peers as IPv4', () => {
    expect(clientAddress(requestFrom('::ffff:10.0.0.2', '203.0.113.9'), trust('10.0.0.2'))).toBe('203.0.113.9');
  });

  it('refuses settings it cannot read, naming the entry', () => {
    expect(parseTrustProxy('proxy.example.com')).toMatch(/"proxy\.example\.com" is neither/);
    expect(parseTrustProxy('10.0.0.0/40')).toMatch(/invalid prefix length/);
  });
});
