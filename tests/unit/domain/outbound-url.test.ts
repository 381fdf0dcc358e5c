import { describe, expect, it } from 'vitest';
import { checkTargetUrl } from '../../../src/domain/outbound-url.ts';

const reasonOf = (raw: string, rules = {}) => {
  const check = checkTargetUrl(raw, rules);
  return check.ok ? 'ok' : check.reason;
};

describe('checking a webhook URL before posting to it', () => {
  it.each([
    ['https://hooks.slack.com/services/T0/B0/xyz', 'ok'],
    ['https://example.com:8443/hook?x=1', 'ok'],
    ['https://8.8.8.8/hook', 'ok'],
    ['https://[2606:4700:4700::1111]/hook', 'ok'],
    ['HTTPS://Example.COM/', 'ok'],
    ['http://example.com/hook', 'must start with https://'],
    ['ftp://example.com/', 'must start with https://'],
    ['example.com/hook', 'must start with https://'],
    ['https:example.com', 'must start with https://'],
    ['https://user:secret@example.com/', 'must not contain credentials (user:password@)'],
    ['https://token@example.com/', 'must not contain credentials (user:password@)'],
    ['https://example.com/hook#frag', 'must not contain a fragment (#…)'],
    ['https://example.com/#', 'must not contain a fragment (#…)'],
    ['https://example.com/a b', 'must not contain spaces or control characters'],
    ['https://example.com/a\tb', 'must not contain spaces or control characters'],
    [' https://example.com/', 'must not contain spaces or control characters'],
    ['https://exa mple.com/', 'must not contain spaces or control characters'],
    ['https://exa%00mple.com/', 'is not a valid URL'],
    ['https://example.com:22/', 'must not use port 22 (use 443, 80 or a port from 1024 up)'],
    ['https://example.com:25/', 'must not use port 25 (use 443, 80 or a port from 1024 up)'],
    ['https://example.com:80/', 'ok'],
    ['https://127.0.0.1/', 'must point at a public address: 127.0.0.1 is in the loopback range 127.0.0.0/8'],
    ['https://[::1]/', 'must point at a public address: ::1 is in the loopback range ::1/128'],
    ['https://10.0.0.1/', 'must point at a public address: 10.0.0.1 is in the private range 10.0.0.0/8'],
    [
      'https://169.254.169.254/latest/meta-data/',
      'must point at a public address: 169.254.169.254 is in the link-local (cloud metadata) range 169.254.0.0/16',
    ],
    [
      'https://[::ffff:127.0.0.1]/',
      'must point at a public address: ::ffff:7f00:1 carries 127.0.0.1 (IPv4-mapped), in the loopback range 127.0.0.0/8',
    ],
    // The URL parser reads these as 127.0.0.1; the check sees what a connection would use.
    ['https://2130706433/', 'must point at a public address: 127.0.0.1 is in the loopback range 127.0.0.0/8'],
    ['https://0x7f.1/', 'must point at a public address: 127.0.0.1 is in the loopback range 127.0.0.0/8'],
    ['https://0/', 'must point at a public address: 0.0.0.0 is in the "this network" range 0.0.0.0/8'],
    // A name is judged by what it resolves to, when posting (src/notify/outbound-post.ts).
    ['https://localhost/', 'ok'],
    [`https://example.com/${'a'.repeat(2000)}`, 'must be at most 2000 characters long'],
  ])('%s: %s', (raw, expected) => {
    expect(reasonOf(raw)).toBe(expected);
  });

  it('takes plain http only when the owner allows it', () => {
    expect(reasonOf('http://example.com/', { allowHttp: true })).toBe('ok');
    expect(reasonOf('ftp://example.com/', { allowHttp: true })).toBe('must start with https:// or http://');
  });

  it.each([
    ['https://127.0.0.1:3000/', ['127.0.0.1/32']],
    ['https://[::1]:3000/', ['::1/128']],
    ['https://localhost:22/', ['localhost']],
    ['https://10.1.2.3/', ['10.0.0.0/8']],
  ])('lets the allowlist reach %s', (raw, allowlist) => {
    expect(reasonOf(raw, { allowlist })).toBe('ok');
  });

  it('does not let an allowlisted address vouch for another', () => {
    expect(reasonOf('https://127.0.0.2/', { allowlist: ['127.0.0.1/32', 'localhost'] })).toMatch(/loopback/);
  });

  it('answers the parts a post needs: the bare host, the port and an IP literal', () => {
    const check = checkTargetUrl('https://[::1]:8443/x', { allowlist: ['::1'] });
    expect(check.ok && check.target).toMatchObject({
      protocol: 'https:',
      host: '::1',
      port: 8443,
      ip: '::1',
      allowlistedName: false,
    });
    const named = checkTargetUrl('http://Hooks.Example.com/x', { allowHttp: true, allowlist: ['hooks.example.com'] });
    expect(named.ok && named.target).toMatchObject({ protocol: 'http:', host: 'hooks.example.com', port: 80 });
    expect(named.ok && named.target.ip).toBeUndefined();
    expect(named.ok && named.target.allowlistedName).toBe(true);
  });
});
