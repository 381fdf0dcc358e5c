import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('defaults to ./data/herald.db on localhost:4321', () => {
    const config = loadConfig({});
    expect(config.databasePath).toMatch(/data\/herald\.db$/);
    expect(config.port).toBe(4321);
    expect(config.baseUrl.href).toBe('http://localhost:4321/');
    expect(config.secureCookies).toBe(false);
  });

  it('explains a base URL that is not an absolute http(s) URL', () => {
    expect(problems({ HERALD_BASE_URL: 'status.example.com' })).toEqual([
      'HERALD_BASE_URL must be an absolute http(s) URL',
    ]);
    expect(problems({ HERALD_BASE_URL: 'ftp://status.example.com' })).toEqual([
      'HERALD_BASE_URL must be an absolute http(s) URL',
    ]);
  });

  it('reads how many render threads and how proxies are trusted, and explains bad values', () => {
    expect(loadConfig({ HERALD_RENDER_THREADS: '0' }).renderThreads).toBe(0);
    expect(loadConfig({}).renderThreads).toBeGreaterThanOrEqual(1);
    expect(problems({ HERALD_RENDER_THREADS: 'many' })).toEqual([
      'HERALD_RENDER_THREADS must be a whole number from 0 to 32 (0 renders in the main thread)',
    ]);
    expect(loadConfig({ HERALD_TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
    expect(problems({ HERALD_TRUST_PROXY: 'proxy.example.com' })[0]).toMatch(/neither an address/);
    expect(problems({ LOG_LEVEL: 'loud' })[0]).toMatch(/^LOG_LEVEL must be one of/);
  });

  it('explains a bad port', () => {
    expect(problems({ PORT: 'eighty' })).toEqual(['PORT must be a whole number between 1 and 65535']);
    expect(problems({ PORT: '70000' })).toEqual(['PORT must be a whole number between 1 and 65535']);
  });

  it('reports every problem at once', () => {
    expect(problems({ PORT: '0', HERALD_BASE_URL: 'nope' })).toHaveLength(2);
  });

  it('turns on Secure cookies behind an https base URL', () => {
    expect(loadConfig({ HERALD_BASE_URL: 'https://status.example.com' }).secureCookies).toBe(true);
  });

  it('sends push services the mail sender as the VAPID contact, read from the display-name form', () => {
    const config = loadConfig({ MAIL_FROM: 'Acme Status <status@acme.com>' });
    expect(config.push.subject).toBe('mailto:status@acme.com');
    expect(config.warnings).toEqual([]);
    expect(loadConfig({ MAIL_FROM: 'ops@acme.com' }).push.subject).toBe('mailto:ops@acme.com');
  });

  it('takes VAPID_SUBJECT over the mail sender when it is a mailto: or https: contact on a real host', () => {
    const env = { MAIL_FROM: 'status@acme.com' };
    expect(loadConfig({ ...env, VAPID_SUBJECT: 'mailto:push@acme.com' }).push.subject).toBe('mailto:push@acme.com');
    expect(loadConfig({ ...env, VAPID_SUBJECT: 'https://acme.com/contact' }).push.subject).toBe(
      'https://acme.com/contact',
    );
    expect(problems({ VAPID_SUBJECT: 'http://acme.com' })).toEqual([
      'VAPID_SUBJECT must be a mailto: or https: URL where push services can reach you',
    ]);
  });

  it('refuses a VAPID_SUBJECT on a loopback or placeholder host, saying why', () => {
    for (const subject of [
      'mailto:status@localhost',
      'mailto:ops@status.localhost',
      'https://127.0.0.1',
      'https://127.1.2.3:8443/contact',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'mailto:me@example.com',
      'https://status.example.org',
      'mailto:ops@acme.test',
      'https://push.invalid',
      'mailto:nobody',
    ]) {
      const found = problems({ VAPID_SUBJECT: subject });
      expect(found, subject).toHaveLength(1);
      expect(found[0], subject).toMatch(/^VAPID_SUBJECT must name a contact push services can reach, not a loopback/);
    }
  });

  it('warns, without refusing to start, when the mail sender it falls back to is a placeholder', () => {
    const byDefault = loadConfig({});
    expect(byDefault.push.subject).toBe('mailto:status@localhost');
    expect(byDefault.warnings).toHaveLength(1);
    expect(byDefault.warnings[0]).toMatch(/mailto:status@localhost.*push services may reject it.*VAPID_SUBJECT/);
    expect(loadConfig({ MAIL_FROM: 'Status <status@acme.test>' }).warnings).toHaveLength(1);
    expect(loadConfig({ HERALD_BASE_URL: 'https://status.acme.com' }).push.subject).toBe(
      'mailto:status@status.acme.com',
    );
    expect(loadConfig({ HERALD_BASE_URL: 'https://status.acme.com' }).warnings).toEqual([]);
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ PORT: '', HERALD_BASE_URL: '' }).port).toBe(4321);
  });
});
