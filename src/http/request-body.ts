import type { Context, MiddlewareHandler } from 'hono';
import { problemResponse } from '../api/problem.ts';
import { plainPage } from './plain-page.ts';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

export type BodyLimits = {
  /** Bytes any request body may have unless a rule below says otherwise. */
  default: number;
  /** Larger allowances for the few routes that need them, matched by path. */
  rules: { path: RegExp; limit: number }[];
};

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

class BodyTooLarge extends Error {}

/**
 * Every request body is counted before anything reads it: the Content-Length is checked up
 * front, and a chunked body is counted as it streams in, so no route (API, console form,
 * sign-in) ever holds more than its limit in memory. Form posts to pages are parsed here once,
 * so a malformed form becomes a 400 with a reason instead of an exception inside a page.
 */
export function limitRequestBodies(limits: BodyLimits): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const path = c.req.path;
    const limit = limits.rules.find((rule) => rule.path.test(path))?.limit ?? limits.default;
    const declared = raw.headers.get('content-length');
    if (declared !== null && Number(declared) > limit) {
      await raw.body.cancel().catch(() => {});
      return tooLarge(c, limit);
    }
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await readAtMost(raw.body, limit);
    } catch (error) {
      if (error instanceof BodyTooLarge) return tooLarge(c, limit);
      return refuse(c, 400, 'The request body could not be read completely.');
    }
    const headers = new Headers(raw.headers);
    const isApi = path.startsWith('/api/');
    if (!isApi && raw.method === 'POST') {
      const type = headers.get('content-type') ?? '';
      // Pages read their posts with request.formData(); an empty post still needs a form type.
      if (bytes.length === 0 && !FORM_TYPES.test(type))
        headers.set('content-type', 'application/x-www-form-urlencoded');
      else if (!FORM_TYPES.test(type))
        return refuse(c, 415, 'This page takes forms only (application/x-www-form-urlencoded or multipart/form-data).');
      else if (!(await parsesAsForm(bytes, headers)))
        return refuse(c, 400, 'The form could not be read: its encoding is malformed. Go back and send it again.');
    }
    c.req.raw = carryOver(
      raw,
      new Request(raw.url, { method: raw.method, headers, body: bytes.length ? bytes : null, signal: raw.signal }),
    );
    return next();
  };
}

async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(new ArrayBuffer(size));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function parsesAsForm(bytes: Uint8Array<ArrayBuffer>, headers: Headers): Promise<boolean> {
  try {
    await new Request('http://form.invalid/', { method: 'POST', headers, body: bytes }).formData();
    return true;
  } catch {
    return false;
  }
}

/** The adapter hangs the client address and render options on the request under symbols. */
function carryOver(from: Request, to: Request): Request {
  for (const key of Object.getOwnPropertySymbols(from)) Reflect.set(to, key, Reflect.get(from, key));
  return to;
}

function tooLarge(c: Context, limit: number): Response {
  const response = refuse(c, 413, `The request body is larger than ${Math.round(limit / 1024)} KiB.`);
  // The rest of an oversized upload is not worth reading on this connection.
  response.headers.set('connection', 'close');
  return response;
}

function refuse(c: Context, status: 400 | 413 | 415, detail: string): Response {
  const instance = c.req.path;
  if (instance.startsWith('/api/')) return problemResponse(status, detail, { instance });
  return plainPage(status, detail);
}
