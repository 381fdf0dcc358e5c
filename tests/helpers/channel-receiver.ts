import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testCertificates } from './test-ca.ts';

export type Received = { path: string; headers: IncomingHttpHeaders; body: string; at: number };
export type Answer = { status: number; headers?: Record<string, string>; body?: string };

/**
 * An HTTPS receiver on 127.0.0.1 with a certificate from the test CA: what webhook, Slack and
 * Teams deliveries reach in the tests. `answer` decides each reply (default 200); `check` may
 * throw to record a delivery as rejected (a bad signature, a card that does not parse).
 */
export async function startChannelReceiver(
  options: { answer?: (request: Received, index: number) => Answer; check?: (request: Received) => void } = {},
) {
  const { keyPem, certPem } = testCertificates();
  const received: Received[] = [];
  const rejected: Array<{ request: Received; reason: string }> = [];
  const server = createServer({ key: keyPem, cert: certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      };
      try {
        options.check?.(request);
      } catch (error) {
        rejected.push({ request, reason: (error as Error).message });
        res.writeHead(400).end('rejected');
        return;
      }
      const answer = options.answer?.(request, received.length) ?? { status: 200 };
      received.push(request);
      res.writeHead(answer.status, answer.headers).end(answer.body ?? 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/hook') => `https://localhost:${port}${path}`,
    received,
    rejected,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The test CA as a file, for HERALD_OUTBOUND_CA_FILE. */
export function testCaFile(dir: string): string {
  const path = join(dir, 'test-ca.pem');
  writeFileSync(path, testCertificates().caPem);
  return path;
}

/** The outbound settings that let Herald post to the receivers above, and to nothing else local. */
export function receiverEnv(dir: string): Record<string, string> {
  return { HERALD_OUTBOUND_ALLOWLIST: 'localhost', HERALD_OUTBOUND_CA_FILE: testCaFile(dir) };
}
