import { describe, expect, it } from 'vitest';
import { incidentLink, publicBase } from '../../../src/domain/public-link.ts';

describe('links sent to customers', () => {
  it('prefer the page setting over the server address, with no trailing slash', () => {
    expect(publicBase('https://status.example.com/', 'http://127.0.0.1:4321/')).toBe('https://status.example.com');
    expect(publicBase('https://example.com/status//', 'http://127.0.0.1:4321/')).toBe('https://example.com/status');
  });

  it('fall back to the server address when the setting is unset or blank', () => {
    expect(publicBase(null, 'http://127.0.0.1:4321/')).toBe('http://127.0.0.1:4321');
    expect(publicBase('', 'http://127.0.0.1:4321/')).toBe('http://127.0.0.1:4321');
  });

  it('point at an incident or at one of its updates', () => {
    expect(incidentLink('https://s.example', 'bjv5scka')).toBe('https://s.example/incidents/bjv5scka');
    expect(incidentLink('https://s.example', 'bjv5scka', 'u1')).toBe('https://s.example/incidents/bjv5scka#update-u1');
  });
});
