import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { LookupAddress } from 'node:dns';
import {
  type ClientRequestArgs,
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Agent, createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { type Duplex, PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  checkTarget,
  classifyResponse,
  OutboundTimeout,
  postJson,
  ReceiverAnswered,
  RefusedTarget,
  TransportFailure,
} from '../../../src/notify/outbound-post.ts';
import { testCertificates } from '../../helpers/test-ca.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTPS receiver on a loopback address with the test CA's certificate; counts what reaches it. */
async function startReceiver(host: string, handler: Handler, port = 0) {
  const { keyPem, certPem } = testCertificates();
  let handle = handler;
  const received: { path: string; body: string; headers: IncomingMessage['headers'] }[] = [];
  let connections = 0;
  const server = createServer({ key: keyPem, cert: certPem }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body, headers: req.headers });
      handle(req, res);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    received,
    connections: () => connections,
    handle: (next: Handler) => (handle = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Every client socket the process opens while `run` runs, to show a refusal made no connection. */
async function socketsOpenedBy(run: () => Promise<unknown>): Promise<number> {
  let opened = 0;
  const count = () => opened++;
  subscribe('net.client.socket', count);
  try {
    await run().catch(() => undefined);
  } finally {
    unsubscribe('net.client.socket', count);
  }
  return opened;
}

const { caPem } = testCertificates();
const ok: Handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
const LOCAL = ['127.0.0.1/32', 'localhost'];
const body = JSON.stringify({ meta: { event: 'incident.update' } });
const answers =
  (...sequence: LookupAddress[][]) =>
  () => {
    const next = sequence.length > 1 ? sequence.shift() : sequence[0];
    return Promise.resolve(next ?? []);
  };

describe('posting to webhook URLs that cannot be turned against the server', () => {
  let receiver: Receiver;
  let url = '';
  beforeAll(async () => {
    receiver = await startReceiver('127.0.0.1', ok);
    url = `https://127.0.0.1:${receiver.port}/hook`;
  });
  afterEach(() => {
    receiver.handle(ok);
    receiver.received.length = 0;
  });
  afterAll(() => receiver.close());

  describe('without an allowlist, refuses before connecting', () => {
    it.each([
      ['loopback', () => url],
      ['IPv6 loopback', () => `https://[::1]:${receiver.port}/hook`],
      ['a private address', () => 'https://10.0.0.1/hook'],
      ['the cloud metadata address', () => 'https://169.254.169.254/latest/meta-data/'],
      ['an IPv4-mapped loopback', () => `https://[::ffff:127.0.0.1]:${receiver.port}/hook`],
      ['an IPv4-mapped loopback in hex', () => `https://[::ffff:7f00:1]:${receiver.port}/hook`],
      ['a name that resolves to loopback', () => `https://localhost:${receiver.port}/hook`],
      ['plain http', () => 'http://example.com/hook'],
    ])('%s', async (_name, target) => {
      let refusal: unknown;
      const sockets = await socketsOpenedBy(() =>
        postJson(target(), body, {}, { ca: caPem }).catch((error: unknown) => {
          refusal = error;
        }),
      );
      expect(refusal).toBeInstanceOf(RefusedTarget);
      expect(sockets).toBe(0);
      expect(receiver.connections()).toBe(0);
      expect(classifyResponse(refusal)).toEqual({ permanent: true, message: (refusal as Error).message });
    });

    it('says why, in words a subscriber can act on', async () => {
      await expect(postJson('https://169.254.169.254/', body, {})).rejects.toThrow(
        'refused: the URL must point at a public address: 169.254.169.254 is in the link-local (cloud metadata) range 169.254.0.0/16',
      );
      await expect(postJson(`https://localhost:${receiver.port}/`, body, {})).rejects.toThrow(
        'refused: localhost resolves to a non-public address: 127.0.0.1 is in the loopback range 127.0.0.0/8',
      );
      await expect(checkTarget('http://example.com/')).rejects.toThrow('refused: the URL must start with https://');
    });

    it('refuses a name when any one of its addresses is not public', async () => {
      const lookup = answers([
        { address: '93.184.215.14', family: 4 },
        { address: '10.1.2.3', family: 4 },
      ]);
      await expect(checkTarget('https://hooks.example/', { lookup })).rejects.toThrow(
        'refused: hooks.example resolves to a non-public address: 10.1.2.3 is in the private range 10.0.0.0/8',
      );
    });
  });

  describe('with 127.0.0.1/32 and localhost allowlisted', () => {
    it('posts over verified TLS and answers the status, headers and the start of the body', async () => {
      for (const target of [url, `https://localhost:${receiver.port}/hook`]) {
        const response = await postJson(target, body, { 'webhook-id': 'msg_1' }, { ca: caPem, allowlist: LOCAL });
        expect(response).toMatchObject({ status: 200, bodySnippet: 'ok' });
        expect(response.headers['content-type']).toBe('text/plain');
        expect(classifyResponse(response)).toBeUndefined();
      }
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1]).toMatchObject({ path: '/hook', body });
      expect(receiver.received[1]?.headers).toMatchObject({
        'content-type': 'application/json',
        'webhook-id': 'msg_1',
        host: `localhost:${receiver.port}`,
      });
    });

    it('does not trust a certificate its CA did not sign', async () => {
      const failure = await postJson(url, body, {}, { allowlist: LOCAL }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TransportFailure);
      expect((failure as TransportFailure).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      expect(classifyResponse(failure)).toMatchObject({ permanent: false });
    });

    it('checks the certificate against the hostname, not the address it connected to', async () => {
      const lookup = answers([{ address: '127.0.0.1', family: 4 }]);
      const failure = await postJson(
        `https://hooks.example:${receiver.port}/hook`,
        body,
        {},
        {
          ca: caPem,
          allowlist: LOCAL,
          lookup,
        },
      ).catch((error: unknown) => error);
      expect((failure as TransportFailure).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(receiver.received).toHaveLength(0);
    });

    it('takes plain http only when the owner allows it', async () => {
      const plain = createHttpServer(ok);
      await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
      const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/hook`;
      try {
        await expect(postJson(plainUrl, body, {}, { allowlist: LOCAL })).rejects.toBeInstanceOf(RefusedTarget);
        expect((await postJson(plainUrl, body, {}, { allowlist: LOCAL, allowHttp: true })).status).toBe(200);
      } finally {
        plain.close();
      }
    });

    it('does not follow a redirect: the delivery fails for good and the other receiver hears nothing', async () => {
      const elsewhere = await startReceiver('127.0.0.1', ok);
      receiver.handle((_req, res) =>
        res.writeHead(302, { location: `https://127.0.0.1:${elsewhere.port}/stolen` }).end(),
      );
      try {
        const response = await postJson(url, body, {}, { ca: caPem, allowlist: LOCAL });
        expect(response.status).toBe(302);
        expect(classifyResponse(new ReceiverAnswered(response))).toEqual({
          permanent: true,
          message: `the receiver answered 302 (a redirect to https://127.0.0.1:${elsewhere.port}/stolen): redirects are not followed; use the final URL`,
        });
        expect(elsewhere.connections()).toBe(0);
      } finally {
        await elsewhere.close();
      }
    });

    it('gives up on a receiver that does not answer in time, and retries later', async () => {
      receiver.handle(() => undefined);
      const started = Date.now();
      const failure = await postJson(url, body, {}, { ca: caPem, allowlist: LOCAL, timeoutMs: 300 }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(OutboundTimeout);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(classifyResponse(failure)).toEqual({ permanent: false, message: 'no answer within 0.3 s' });
    });

    it('counts reading the body in the deadline', async () => {
      receiver.handle((_req, res) => res.writeHead(200).write('partial'));
      const failure = await postJson(url, body, {}, { ca: caPem, allowlist: LOCAL, timeoutMs: 300 }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(OutboundTimeout);
    });

    it('reads at most 64 KiB of an answer and keeps its start', async () => {
      receiver.handle((_req, res) => {
        res.writeHead(400);
        // Far more than is read: the post must not wait for it all.
        const chunk = 'e'.repeat(16 * 1024);
        const write = () => {
          while (res.write(chunk));
          res.once('drain', write);
        };
        write();
        res.on('close', () => res.removeAllListeners('drain'));
      });
      const response = await postJson(url, body, {}, { ca: caPem, allowlist: LOCAL, timeoutMs: 5000 });
      expect(response.status).toBe(400);
      expect(response.bodySnippet).toBe('e'.repeat(1024));
    });

    it('honours Retry-After on 429', async () => {
      receiver.handle((_req, res) => res.writeHead(429, { 'retry-after': '2' }).end('rate_limited'));
      const response = await postJson(url, body, {}, { ca: caPem, allowlist: LOCAL });
      expect(classifyResponse(response)).toEqual({
        permanent: false,
        retryAfterMs: 2000,
        message: 'the receiver answered 429: rate_limited',
      });
    });

    it('disables the subscriber when the receiver says the webhook is gone (410)', async () => {
      receiver.handle((_req, res) => res.writeHead(410).end('channel_is_archived'));
      const response = await postJson(url, body, {}, { ca: caPem, allowlist: LOCAL });
      expect(classifyResponse(new ReceiverAnswered(response))).toEqual({
        permanent: true,
        disable: 'the receiver answered 410: the webhook or channel is gone',
        message: 'the receiver answered 410: channel_is_archived',
      });
    });

    it('keeps at most perHostLimit posts under way to one host', async () => {
      let inFlight = 0;
      let most = 0;
      receiver.handle((_req, res) => {
        most = Math.max(most, ++inFlight);
        setTimeout(() => {
          inFlight--;
          res.writeHead(200).end();
        }, 30);
      });
      const posts = Array.from({ length: 20 }, () =>
        postJson(url, body, {}, { ca: caPem, allowlist: LOCAL, perHostLimit: 3 }),
      );
      const statuses = (await Promise.all(posts)).map((response) => response.status);
      expect(statuses).toEqual(Array(20).fill(200));
      expect(most).toBe(3);
      expect(receiver.received).toHaveLength(20);
    });

    it('keeps the pinning with a caller keep-alive agent, and refuses an agent that resolves by itself', async () => {
      const agent = new Agent({ keepAlive: true, ca: caPem });
      try {
        for (let i = 0; i < 3; i++)
          expect((await postJson(url, body, {}, { agent, allowlist: LOCAL })).status).toBe(200);
      } finally {
        agent.destroy();
      }
      const resolving = new Agent({ lookup: (_h, _o, callback) => callback(null, '127.0.0.1', 4) });
      await expect(postJson(url, body, {}, { agent: resolving, allowlist: LOCAL })).rejects.toThrow(
        'an outbound agent must not set lookup',
      );
      resolving.destroy();
    });
  });
});

describe('DNS rebinding', () => {
  let checked: Receiver;
  let rebound: Receiver;
  beforeAll(async () => {
    // The same port on both loopbacks: only the address decides which receiver a post reaches.
    checked = await startReceiver('127.0.0.1', ok);
    rebound = await startReceiver('::1', ok, checked.port);
  });
  afterAll(async () => {
    await checked.close();
    await rebound.close();
  });

  it('connects to the address that was checked, not to what DNS answers next', async () => {
    let asked = 0;
    const rebinding = answers([{ address: '127.0.0.1', family: 4 }], [{ address: '::1', family: 6 }]);
    const lookup = () => {
      asked++;
      return rebinding();
    };
    // Where each socket the post opens really connects (recorded while it is open).
    const connectedTo: (string | undefined)[] = [];
    const record = (message: unknown) => {
      const { socket } = message as { socket: Socket };
      socket.once('connect', () => connectedTo.push(socket.remoteAddress));
    };
    subscribe('net.client.socket', record);
    try {
      const response = await postJson(
        `https://localhost:${checked.port}/hook`,
        body,
        {},
        {
          ca: caPem,
          allowlist: ['127.0.0.1/32'],
          lookup,
        },
      );
      expect(response.status).toBe(200);
    } finally {
      unsubscribe('net.client.socket', record);
    }
    expect(asked).toBe(1);
    expect(checked.received).toHaveLength(1);
    expect(rebound.connections()).toBe(0);
    expect(connectedTo).toEqual(['127.0.0.1']);
  });

  it('refuses outright when one answer holds both the checked and a refused address', async () => {
    const lookup = answers([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    await expect(
      postJson(`https://localhost:${checked.port}/hook`, body, {}, { ca: caPem, allowlist: ['127.0.0.1/32'], lookup }),
    ).rejects.toThrow('refused: localhost resolves to a non-public address: ::1 is in the loopback range ::1/128');
    expect(rebound.connections()).toBe(0);
  });

  it('answers the checked public address however often the connection asks again', async () => {
    // A probe in place of the socket: it asks the request's lookup twice, as a re-resolving
    // client would, and never connects (no traffic leaves the machine).
    const seen: unknown[] = [];
    const connectionsBefore = checked.connections();
    class Probe extends Agent {
      override createConnection(options: ClientRequestArgs): Duplex {
        for (let i = 0; i < 2; i++)
          options.lookup?.(String(options.host), { all: true }, (_error, addresses) => seen.push(addresses));
        const socket = new PassThrough();
        queueMicrotask(() => socket.destroy(new Error('the probe does not connect')));
        return socket;
      }
    }
    const lookup = answers([{ address: '93.184.215.14', family: 4 }], [{ address: '127.0.0.1', family: 4 }]);
    const failure = await postJson('https://hooks.example/hook', body, {}, { agent: new Probe(), lookup }).catch(
      (error: unknown) => error,
    );
    expect((failure as Error).message).toBe('the probe does not connect');
    expect(seen).toEqual([[{ address: '93.184.215.14', family: 4 }], [{ address: '93.184.215.14', family: 4 }]]);
    expect(checked.connections()).toBe(connectionsBefore);
  });
});
