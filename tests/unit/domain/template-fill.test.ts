import { describe, expect, it } from 'vitest';
import { fillTemplate, listNames } from '../../../src/domain/template-fill.ts';

describe('template placeholders', () => {
  it('lists component names the way a sentence does', () => {
    expect(listNames([])).toBe('our services');
    expect(listNames(['API'])).toBe('API');
    expect(listNames(['API', 'Web'])).toBe('API and Web');
    expect(listNames(['API', 'Web', 'Mail'])).toBe('API, Web and Mail');
  });

  it('puts the verb after {{components}} in the number of the components', () => {
    const text = 'This incident has been resolved. {{components}} are operating normally.';
    expect(fillTemplate(text, ['API'])).toBe('This incident has been resolved. API is operating normally.');
    expect(fillTemplate(text, ['API', 'Web'])).toBe(
      'This incident has been resolved. API and Web are operating normally.',
    );
    expect(fillTemplate(text, [])).toBe('This incident has been resolved. our services are operating normally.');
    expect(fillTemplate('{{components}} is down', ['API', 'Web'])).toBe('API and Web are down');
    expect(fillTemplate('{{components}} have been restored', ['API'])).toBe('API has been restored');
    expect(fillTemplate("{{components}} aren't reachable", ['API'])).toBe("API isn't reachable");
  });

  it('leaves words that only begin like a verb alone', () => {
    expect(fillTemplate('{{components}} issue', ['API'])).toBe('API issue');
    expect(fillTemplate('{{components}} island', ['API', 'Web'])).toBe('API and Web island');
  });

  it('fills severity, next update, ETA and page name, with a readable fallback for each', () => {
    const text = '[{{severity}}] {{page_name}}: fix expected {{eta}}; next update by {{next_update}}.';
    expect(
      fillTemplate(text, ['API'], {
        severity: 'P1 · Critical',
        nextUpdate: '15:30 CET',
        eta: '16:00 CET',
        pageName: 'Acme Status',
      }),
    ).toBe('[P1 · Critical] Acme Status: fix expected 16:00 CET; next update by 15:30 CET.');
    expect(fillTemplate(text, [])).toBe(
      '[this] our status page: fix expected as soon as possible; next update by as soon as we know more.',
    );
  });

  it('fills every occurrence', () => {
    expect(fillTemplate('{{components}} / {{components}}', ['A'])).toBe('A / A');
  });
});

describe('template values that look like replacement patterns', () => {
  it('come out as written', () => {
    expect(fillTemplate('{{page_name}} / {{components}}', ["$& Co's $1"], { pageName: "$' Status" })).toBe(
      "$' Status / $& Co's $1",
    );
  });
});
