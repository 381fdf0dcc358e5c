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

  it('treats blank variables as unset', () => {
    expect(loadConfig({ PORT: '', HERALD_BASE_URL: '' }).port).toBe(4321);
  });
});
