import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loopbackCertificate } from './loopback-certificate.ts';

/** A browser's side of a push subscription: its P-256 key pair and auth secret (RFC 8291). */
export type TestBrowser = {
  id: string;
  endpoint: string;
  ecdh: ReturnType<typeof createECDH>;
  auth: Buffer;
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
};

export type ReceivedPush = {
  browser: string;
  payload: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  jwt: { aud: string; exp: number; sub: string };
};

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/** RFC 8291 / RFC 8188 (aes128gcm) decryption with the browser's private key and auth secret. */
export function decryptPush(body: Buffer, browser: TestBrowser): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20] ?? 0;
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  if (ciphertext.length > recordSize) throw new Error('more than one record');
  const shared = browser.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browser.ecdh.getPublicKey(), senderPublic]);
  const ikm = hmac(hmac(browser.auth, shared), Buffer.concat([keyInfo, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01', 'binary')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01', 'binary')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  const end = padded.lastIndexOf(2);
  if (end < 0 || padded.subarray(end + 1).some((b) => b !== 0)) throw new Error('bad padding delimiter');
  return padded.subarray(0, end);
}

/** Checks the VAPID Authorization header (RFC 8292): ES256 JWT signed by the key in k=. */
export function verifyVapid(
  header: string | undefined,
  expectedPublicKey: string,
): { aud: string; exp: number; sub: string } {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`no VAPID authorization: ${header}`);
  if (match[2] !== expectedPublicKey) throw new Error('VAPID key is not the page key');
  const [head, claims, signature] = match[1].split('.') as [string, string, string];
  const raw = Buffer.from(match[2], 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${head}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) throw new Error('VAPID signature does not verify');
  if (JSON.parse(Buffer.from(head, 'base64url').toString()).alg !== 'ES256') throw new Error('VAPID JWT is not ES256');
  return JSON.parse(Buffer.from(claims, 'base64url').toString());
}

export type Verdict = { status: number; headers?: Record<string, string> };

/**
 * Plays a browser push service on 127.0.0.1 over HTTPS (web-push speaks nothing else), with a
 * certificate made for the test by openssl. Decrypts and checks every message it accepts.
 */
export async function startPushReceiver(vapidPublicKey: () => string) {
  const dir = mkdtempSync(join(tmpdir(), 'herald-push-'));
  const { key, cert } = loopbackCertificate(dir);
  const browsers = new Map<string, TestBrowser>();
  const received: ReceivedPush[] = [];
  const errors: string[] = [];
  let policy: (browser: string, attempt: number) => Verdict = () => ({ status: 201 });
  const attempts = new Map<string, number>();

  const server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = (req.url ?? '').split('/').at(-1) ?? '';
      const browser = browsers.get(id);
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const verdict = policy(id, attempt);
      if (!browser || verdict.status >= 300) {
        res.writeHead(browser ? verdict.status : 404, verdict.headers ?? {}).end();
        return;
      }
      try {
        if (req.headers['content-encoding'] !== 'aes128gcm')
          throw new Error(`content-encoding ${req.headers['content-encoding']}`);
        const jwt = verifyVapid(req.headers.authorization, vapidPublicKey());
        const body = Buffer.concat(chunks);
        if (body.length > 4096) throw new Error(`payload of ${body.length} bytes`);
        received.push({
          browser: id,
          payload: JSON.parse(decryptPush(body, browser).toString('utf8')),
          headers: req.headers,
          jwt,
        });
        res.writeHead(201).end();
      } catch (error) {
        errors.push(String(error));
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    origin,
    cert,
    received,
    errors,
    attempts,
    setPolicy(next: (browser: string, attempt: number) => Verdict) {
      policy = next;
    },
    newBrowser(): TestBrowser {
      const id = randomBytes(8).toString('hex');
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const endpoint = `${origin}/push/${id}`;
      const browser = {
        id,
        endpoint,
        ecdh,
        auth,
        subscription: {
          endpoint,
          keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
        },
      };
      browsers.set(id, browser);
      return browser;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type PushReceiver = Awaited<ReturnType<typeof startPushReceiver>>;
