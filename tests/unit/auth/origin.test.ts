import { describe, expect, it } from 'vitest';
import { isSameOrigin } from '../../../src/auth/origin.ts';

const post = (url: string, headers: Record<string, string>) => new Request(url, { method: 'POST', headers });

describe('the origin check of cookie-authenticated writes', () => {
  it('accepts the address the request was made to and the configured public address', () => {
    expect(isSameOrigin(post('http://127.0.0.1:4321/admin', { origin: 'http://127.0.0.1:4321' }), [])).toBe(true);
    expect(
      isSameOrigin(post('http://internal:4321/admin', { origin: 'https://status.example.com' }), [
        'https://status.example.com',
      ]),
    ).toBe(true);
  });

  it('tells schemes and ports apart, not only hosts', () => {
    expect(
      isSameOrigin(post('https://status.example.com/admin', { origin: 'http://status.example.com' }), [
        'https://status.example.com',
      ]),
    ).toBe(false);
    expect(
      isSameOrigin(post('http://status.example.com:4321/admin', { origin: 'http://status.example.com:8080' }), []),
    ).toBe(false);
  });

  it('falls back to the Referer and refuses a request with neither, or with Origin null', () => {
    expect(
      isSameOrigin(post('http://127.0.0.1:4321/admin', { referer: 'http://127.0.0.1:4321/admin/settings' }), []),
    ).toBe(true);
    expect(isSameOrigin(post('http://127.0.0.1:4321/admin', {}), [])).toBe(false);
    expect(isSameOrigin(post('http://127.0.0.1:4321/admin', { origin: 'null' }), [])).toBe(false);
  });
});
