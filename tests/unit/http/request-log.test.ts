import { describe, expect, it } from 'vitest';
import { withoutSecrets } from '../../../src/http/request-log.ts';

describe('the request log', () => {
  it.each([
    ['/api/integrations/alertmanager/abc123/hin_s3cr3t', '/api/integrations/alertmanager/abc123/[secret]'],
    ['/api/integrations/grafana/abc123/hin_s3cr3t?x=1', '/api/integrations/grafana/abc123/[secret]?x=1'],
    ['/api/integrations/generic/abc123', '/api/integrations/generic/abc123'],
    ['/api/integrations/slack/commands', '/api/integrations/slack/commands'],
    ['/subscriptions/12.1.mac-mac/unsubscribe', '/subscriptions/[token]/unsubscribe'],
    ['/subscriptions/confirm/tok3n', '/subscriptions/confirm/[token]'],
    ['/incidents/abc', '/incidents/abc'],
  ])('keeps %s out of the log as %s', (url, logged) => {
    expect(withoutSecrets(url)).toBe(logged);
  });
});
