// A seeded fuzz of every request body Herald accepts: each admin API route of the OpenAPI
// document and the public API (in process, through the Hono app), then every console and public
// form page (through the real server, signed in, from this site's Origin). Whatever arrives, the
// answer is never a 5xx (a 503 with Retry-After excepted), and an /api refusal is problem+json.
// The seed is printed; FUZZ_SEED=<n> replays a run exactly.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../../src/cli/child-server.ts';
import { OWNER } from '../helpers/console.ts';
import { BASE, type Harness, startHarness } from '../helpers/harness.ts';
import { adminApi, ownerToken } from '../helpers/seed-server.ts';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
console.log(`[fuzz] seed ${SEED} (replay with FUZZ_SEED=${SEED})`);

const BODIES_PER_TARGET = 12;
const REQUEST_TIMEOUT_MS = 15_000;

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One generator per target, so what a route gets does not depend on how many routes came before. */
function rngFor(label: string): Rng {
  let h = (SEED ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return mulberry32(h);
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

function sample<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}

const ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const plausibleId = (rng: Rng) => Array.from({ length: 12 }, () => pick(rng, [...ID_ALPHABET])).join('');
// Already percent-encoded where needed: they go into the URL as they are. No '@' anywhere, so no
// garbage value is ever a valid email address (the setup form must stay unfinished).
const GARBAGE_IDS = [
  '%',
  '%00',
  '%ff%fe',
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(2000),
  '%E2%80%AE',
  "'%20OR%201=1--",
  '-1',
  '1e999',
  '%3Csvg%20onload=alert(1)%3E',
  '__proto__',
  'constructor',
];
const GARBAGE_VALUES = [
  '',
  ' ',
  '%',
  '\u0000',
  '\u202e',
  '\ud800',
  '<script>alert(1)</script>',
  "'; DROP TABLE users;--",
  '../../etc/passwd',
  'a'.repeat(300),
  '-1',
  '1e309',
  'NaN',
  '[object Object]',
  '__proto__',
  'true',
  '{"a":1}',
];
const garbage = (rng: Rng) => pick(rng, GARBAGE_VALUES);
// A lone surrogate cannot be percent-encoded: it goes as the bytes of one (invalid UTF-8).
const inQuery = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};

const enc = new TextEncoder();
const INVALID_UTF8 = [0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80, 0xc0, 0xaf];
const concat = (...parts: (string | number[])[]): Uint8Array<ArrayBuffer> => {
  const chunks = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(new ArrayBuffer(chunks.reduce((n, c) => n + c.byteLength, 0)));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
};
const hugeString = (rng: Rng) =>
  Array.from({ length: 60 * 1024 }, () => String.fromCharCode(0x61 + Math.floor(rng() * 26))).join('');

type Body = { kind: string; contentType: string | null; bytes: Uint8Array<ArrayBuffer> };
/** What a target is known to read: field names and, for some, a value that gets past the first check. */
type Shape = { fields: readonly string[]; plausible?: Readonly<Record<string, string>> };

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const BOUNDARY = '----heraldfuzz7d1';

const BODY_KINDS: Record<
  string,
  (rng: Rng, shape: Shape) => { contentType: string | null; body: string | Uint8Array<ArrayBuffer> }
> = {
  'empty body (JSON)': () => ({ contentType: JSON_TYPE, body: '' }),
  'empty body (urlencoded)': () => ({ contentType: FORM_TYPE, body: '' }),
  'truncated JSON': (rng, { fields }) => {
    const full = JSON.stringify(
      Object.fromEntries((fields.length ? fields : ['name']).map((f) => [f, { value: [1, 'two', null] }])),
    );
    return { contentType: JSON_TYPE, body: full.slice(0, 1 + Math.floor(rng() * (full.length - 1))) };
  },
  'JSON array': () => ({ contentType: JSON_TYPE, body: '[{"name":"x"},[],null,1]' }),
  'JSON number': (rng) => ({ contentType: JSON_TYPE, body: pick(rng, ['42', '-0', '1e400', '0.1e-400']) }),
  'JSON null': () => ({ contentType: JSON_TYPE, body: 'null' }),
  'JSON of wrong types': (rng, { fields }) => ({
    contentType: JSON_TYPE,
    body: JSON.stringify(
      Object.fromEntries(
        (fields.length ? fields : ['name']).map((f) => [
          f,
          pick(rng, [[], {}, 12, true, null, [[{}]], -1e308, [1, 2, 3]]),
        ]),
      ),
    ),
  }),
  'JSON nested 1000 levels': (rng, { fields }) => {
    const open = pick(rng, ['{"a":', '[']);
    const close = open === '[' ? ']' : '}';
    return {
      contentType: JSON_TYPE,
      body: `{${JSON.stringify(fields[0] ?? 'a')}:${open.repeat(1000)}1${close.repeat(1000)}}`,
    };
  },
  'JSON 60 KB string': (rng, { fields }) => ({
    contentType: JSON_TYPE,
    body: JSON.stringify({ [pick(rng, fields.length ? fields : ['name'])]: hugeString(rng) }),
  }),
  'JSON __proto__': (_rng, { fields }) => ({
    contentType: JSON_TYPE,
    body: `{"__proto__":{"role":"owner","isAdmin":true,"status":"resolved"},${JSON.stringify(fields[0] ?? 'name')}:{"__proto__":{"x":1}}}`,
  }),
  'JSON constructor': (_rng, { fields }) => ({
    contentType: JSON_TYPE,
    body: `{"constructor":{"prototype":{"polluted":true}},${JSON.stringify(fields[0] ?? 'name')}:"constructor"}`,
  }),
  'JSON with invalid UTF-8': (_rng, { fields }) => ({
    contentType: `${JSON_TYPE}; charset=utf-8`,
    body: concat(`{${JSON.stringify(fields[0] ?? 'name')}:"`, INVALID_UTF8, '"}'),
  }),
  'JSON with repeated keys': (rng, { fields }) => ({
    contentType: JSON_TYPE,
    body: `{${Array.from({ length: 200 }, () => `${JSON.stringify(pick(rng, fields.length ? fields : ['name']))}:${pick(rng, ['"a"', '1', 'null', '[]', '{}'])}`).join(',')}}`,
  }),
  'multipart, broken boundary': (_rng, { fields }) => ({
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: `--other\r\nContent-Disposition: form-data; name="${fields[0] ?? 'name'}"\r\n\r\nvalue\r\n--${BOUNDARY}\r\nContent-Disposition: form-da`,
  }),
  'multipart, no boundary': (_rng, { fields }) => ({
    contentType: 'multipart/form-data',
    body: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${fields[0] ?? 'name'}"\r\n\r\nvalue\r\n--${BOUNDARY}--\r\n`,
  }),
  'multipart, every field a file': (rng, { fields, plausible = {} }) => ({
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    body: concat(
      ...(fields.length ? fields : ['name']).flatMap((f) =>
        plausible[f] !== undefined
          ? [`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${f}"\r\n\r\n${plausible[f]}\r\n`]
          : [
              `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${f}"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
              INVALID_UTF8,
              garbage(rng),
              '\r\n',
            ],
      ),
      `--${BOUNDARY}--\r\n`,
    ),
  }),
  'text/plain': (rng, { fields }) => ({
    contentType: 'text/plain',
    body: (fields.length ? fields : ['name']).map((f) => `${f}=${garbage(rng)}`).join('&'),
  }),
  'urlencoded % garbage': (_rng, { fields }) => ({
    contentType: FORM_TYPE,
    body: `${fields[0] ?? 'name'}=%&%zz=%E0%A4%A&%=%%&h=%ff%fe&&=&${fields[1] ?? 'x'}=%u0041%`,
  }),
  'urlencoded repeated fields': (rng, { fields, plausible = {} }) => {
    const form = new URLSearchParams();
    for (const f of fields.length ? fields : ['name']) {
      if (plausible[f] !== undefined) form.append(f, plausible[f]);
      for (let i = 0; i < 40; i++) form.append(f, garbage(rng).slice(0, 40));
    }
    return { contentType: FORM_TYPE, body: form.toString() };
  },
  'urlencoded 60 KB value': (rng, { fields, plausible = {} }) => ({
    contentType: FORM_TYPE,
    body: new URLSearchParams({
      ...plausible,
      [pick(rng, fields.length ? fields : ['name'])]: hugeString(rng),
    }).toString(),
  }),
  'urlencoded invalid UTF-8': (_rng, { fields }) => ({
    contentType: FORM_TYPE,
    body: concat(`${fields[0] ?? 'name'}=`, INVALID_UTF8, `&${fields[1] ?? 'x'}=%C0%AF%ED%A0%80`),
  }),
  'no content-type': (_rng, { fields }) => ({ contentType: null, body: `{"${fields[0] ?? 'name'}":1}` }),
};

function bodiesFor(label: string, shape: Shape): Body[] {
  const rng = rngFor(label);
  return sample(rng, Object.keys(BODY_KINDS), BODIES_PER_TARGET).map((kind) => {
    const made = (BODY_KINDS[kind] as (typeof BODY_KINDS)[string])(rng, shape);
    return {
      kind,
      contentType: made.contentType,
      bytes: typeof made.body === 'string' ? enc.encode(made.body) : made.body,
    };
  });
}

/** GET routes cannot carry a body: they get malformed query strings instead. */
function queriesFor(label: string, names: readonly string[]): { kind: string; query: string }[] {
  const rng = rngFor(label);
  const name = () => pick(rng, names.length ? names : ['page', 'per_page']);
  const kinds: Record<string, () => string> = {
    'negative and zero numbers': () => `page=-1&per_page=0&${name()}=-1`,
    'overflowing numbers': () => `page=1e999&per_page=99999999999999999999999&${name()}=1e309`,
    'non-numbers': () => `page=abc&per_page=NaN&${name()}=[object%20Object]`,
    'percent garbage': () => `${name()}=%&%zz=%E0%A4%A&%=%%`,
    'invalid UTF-8': () => `${name()}=%ff%fe%C0%AF%ED%A0%80`,
    'repeated parameters': () =>
      Array.from({ length: 100 }, () => `${name()}=${inQuery(garbage(rng).slice(0, 20))}`).join('&'),
    'array and object syntax': () => `${name()}[]=1&${name()}[a]=2&page[0]=1`,
    '__proto__ and constructor': () => `__proto__=1&constructor=1&__proto__[role]=owner&${name()}=__proto__`,
    '8 KB value': () => `${name()}=${'x'.repeat(8 * 1024)}`,
    'NUL bytes': () => `${name()}=%00%00&page=1%00`,
    'empty names and values': () => `=&&=&${name()}=&`,
    'unknown parameters': () => `zzz=1&${name()}=${inQuery(garbage(rng))}`,
  };
  return sample(rng, Object.keys(kinds), BODIES_PER_TARGET).map((kind) => ({
    kind,
    query: (kinds[kind] as () => string)(),
  }));
}

type Failure = { target: string; who: string; kind: string; status: string };
/** What one test sent and got: every failure, and how often each status came back. */
type Tally = { failures: Failure[]; sent: number; statuses: Record<string, number> };
const tally = (): Tally => ({ failures: [], sent: 0, statuses: {} });

/** Holds one answer to the rule: never a 5xx (but 503 with Retry-After), and problem+json for /api refusals. */
function check(
  t: Tally,
  where: Omit<Failure, 'status'>,
  path: string,
  answer: { status: number; headers: Headers } | string,
): void {
  t.sent++;
  const seen = typeof answer === 'string' ? 'no answer' : String(answer.status);
  t.statuses[seen] = (t.statuses[seen] ?? 0) + 1;
  let bad: string | null = null;
  if (typeof answer === 'string') bad = answer;
  else if (answer.status >= 500 && !(answer.status === 503 && answer.headers.has('retry-after')))
    bad = String(answer.status);
  else if (
    path.startsWith('/api/') &&
    answer.status >= 400 &&
    !(answer.headers.get('content-type') ?? '').startsWith('application/problem+json')
  ) {
    bad = `${answer.status} as ${answer.headers.get('content-type') ?? 'no content-type'}`;
  }
  if (bad) t.failures.push({ ...where, status: bad });
}

function report(title: string, t: Tally): string {
  const lines = t.failures.map((f) => `  ${f.target} | ${f.who} | ${f.kind} → ${f.status}`);
  const statuses = Object.entries(t.statuses)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  const text = `${title}: ${t.failures.length} of ${t.sent} answers broke the rule (seed ${SEED}; answers ${statuses})${lines.length ? `\n${lines.join('\n')}` : ''}`;
  console.log(text);
  return text;
}

describe('malformed bodies on the API, in process', () => {
  let h: Harness;
  type Operation = { method: string; path: string; fields: string[]; query: string[] };
  let operations: Operation[] = [];

  beforeAll(async () => {
    h = await startHarness();
    const doc = (await (await h.call('GET', '/api/admin/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
            parameters?: { name: string; in: string }[];
          }
        >
      >;
    };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path: `/api/admin${path}`,
        fields: Object.keys(op.requestBody?.content?.[JSON_TYPE]?.schema?.properties ?? {}),
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      })),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  const send = async (
    method: string,
    path: string,
    who: 'owner token' | 'no token',
    body: Body | null,
  ): Promise<{ status: number; headers: Headers }> => {
    const headers: Record<string, string> =
      who === 'owner token' ? { authorization: `Bearer ${h.tokens.owner}` } : { origin: BASE };
    if (body?.contentType) headers['content-type'] = body.contentType;
    const res = await h.app.request(`${BASE}${path}`, { method, headers, ...(body ? { body: body.bytes } : {}) });
    await res.arrayBuffer();
    return { status: res.status, headers: res.headers };
  };

  const fuzzOperation = async (op: Operation, who: 'owner token' | 'no token', t: Tally): Promise<void> => {
    const label = `${op.method} ${op.path} ${who}`;
    const rng = rngFor(`${label} ids`);
    const withIds = () => {
      const plausible = rng() < 0.5;
      return {
        path: op.path.replace(/\{\w+\}/g, () => (plausible ? plausibleId(rng) : pick(rng, GARBAGE_IDS))),
        ids: plausible ? 'plausible ids' : 'garbage ids',
      };
    };
    const hasIds = op.path.includes('{');
    if (op.method === 'GET') {
      for (const { kind, query } of queriesFor(label, op.query)) {
        const { path, ids } = withIds();
        check(
          t,
          { target: `GET ${op.path}`, who, kind: `query: ${kind}${hasIds ? `, ${ids}` : ''}` },
          path,
          await send('GET', `${path}?${query}`, who, null),
        );
      }
      return;
    }
    for (const body of bodiesFor(label, { fields: op.fields })) {
      const { path, ids } = withIds();
      check(
        t,
        { target: `${op.method} ${op.path}`, who, kind: `${body.kind}${hasIds ? `, ${ids}` : ''}` },
        path,
        await send(op.method, path, who, body),
      );
    }
  };

  for (const who of ['owner token', 'no token'] as const) {
    it(`answers every admin API route with a 4xx problem, never a 5xx, whatever the body (${who})`, async () => {
      expect(operations.length).toBeGreaterThan(40);
      const t = tally();
      for (const op of operations) await fuzzOperation(op, who, t);
      expect(t.failures, report(`admin API, ${who}`, t)).toEqual([]);
    }, 60_000);
  }

  it('answers the public API with a 4xx problem, never a 5xx, whatever the body', async () => {
    const shapes: Record<string, string[]> = {
      '/api/public/subscriptions': ['email', 'components'],
      '/api/public/push/subscriptions': ['subscription', 'components'],
      '/api/public/push/subscriptions/lookup': ['endpoint', 'auth'],
      '/api/public/push/subscriptions/delete': ['endpoint', 'auth'],
    };
    const t = tally();
    for (const [path, fields] of Object.entries(shapes)) {
      for (const who of ['owner token', 'no token'] as const) {
        for (const body of bodiesFor(`POST ${path} ${who}`, { fields }))
          check(t, { target: `POST ${path}`, who, kind: body.kind }, path, await send('POST', path, who, body));
      }
    }
    expect(t.failures, report('public API', t)).toEqual([]);
  }, 60_000);
});

describe('malformed bodies on the forms, through the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-fuzz-'));
  const mailDir = join(dir, 'mail');
  let server: ServerProcess;
  let cookie = '';
  let spareCookie = '';
  let componentId = '';
  let incidentId = '';
  let manageToken = '';
  let confirmToken = '';
  let inviteToken = '';
  const setupTally = tally();

  type Target = { path: string | ((rng: Rng) => string); shape: Shape; cookie?: () => string };

  const post = async (
    path: string,
    body: Body,
    withCookie: string,
  ): Promise<{ status: number; headers: Headers } | string> => {
    const headers: Record<string, string> = { origin: server.url };
    if (withCookie) headers.cookie = withCookie;
    if (body.contentType) headers['content-type'] = body.contentType;
    try {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers,
        body: body.bytes,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      return { status: res.status, headers: res.headers };
    } catch (error) {
      return `no answer (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message})`;
    }
  };

  const fuzzTarget = async (name: string, target: Target, t: Tally): Promise<void> => {
    const rng = rngFor(`${name} paths`);
    for (const body of bodiesFor(`form ${name}`, target.shape)) {
      const path = typeof target.path === 'string' ? target.path : target.path(rng);
      check(
        t,
        { target: `POST ${name}`, who: target.cookie ? 'signed in' : 'anonymous', kind: body.kind },
        path,
        await post(path, body, target.cookie?.() ?? ''),
      );
    }
  };

  const signInCookie = async () => {
    const res = await fetch(`${server.url}/api/admin/session`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': JSON_TYPE },
      body: JSON.stringify(OWNER),
    });
    if (res.status !== 201) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
    return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  };

  // Mail goes out from the server's mail loop shortly after the request that queued it.
  const mailTo = async (address: string): Promise<string> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      for (const file of existsSync(mailDir) ? readdirSync(mailDir) : []) {
        const mail = await simpleParser(readFileSync(join(mailDir, file)));
        const to = Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(',') : (mail.to?.text ?? '');
        if (to.includes(address)) return mail.text ?? '';
      }
      if (Date.now() > deadline) throw new Error(`no mail to ${address}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    server = await startServer({ DATABASE_PATH: join(dir, 'herald.db'), HERALD_MAIL_DIR: mailDir });
    // The setup form only exists until the owner does, so it is fuzzed first, with garbage that
    // can never complete it (no value holds an '@'), with its real token and with a made-up one.
    const setup = new URL(
      /(http:\/\/127\.0\.0\.1:\d+\/setup\?token=[\w-]+)/.exec(server.output())?.[1] ?? 'http://x/setup?token=missing',
    );
    await fuzzTarget(
      '/setup',
      {
        path: (rng) => (rng() < 0.75 ? setup.pathname + setup.search : `/setup?token=${plausibleId(rng)}`),
        shape: { fields: ['email', 'name', 'password'] },
      },
      setupTally,
    );

    const api = adminApi(server, await ownerToken(server));
    cookie = await signInCookie();
    spareCookie = await signInCookie();
    // Team and token changes need a recent password; with it, the fuzz reaches past that check.
    await fetch(`${server.url}/api/admin/session/confirm`, {
      method: 'POST',
      headers: { origin: server.url, cookie, 'content-type': JSON_TYPE },
      body: JSON.stringify({ password: OWNER.password }),
    });
    componentId = (await api<{ id: string }>('POST', '/components', { name: 'API' })).id;
    incidentId = (
      await api<{ id: string }>('POST', '/incidents', {
        name: 'Fuzzed',
        body: 'Investigating.',
        components: { [componentId]: 'degraded_performance' },
        notify: false,
      })
    ).id;
    inviteToken =
      new URL(
        (await api<{ link: string }>('POST', '/invitations', { email: 'invitee@example.com', role: 'editor' })).link,
      ).searchParams.get('token') ?? '';

    for (const email of ['kept@example.com', 'pending@example.com']) {
      const res = await fetch(`${server.url}/api/public/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': JSON_TYPE },
        body: JSON.stringify({ email }),
      });
      if (res.status !== 202) throw new Error(`subscribing ${email} answered ${res.status}`);
    }
    const confirmPath = (text: string) => /\/subscriptions\/confirm\/([\w-]+)/.exec(text)?.[1] ?? '';
    confirmToken = confirmPath(await mailTo('pending@example.com'));
    const confirmed = await fetch(
      `${server.url}/subscriptions/confirm/${confirmPath(await mailTo('kept@example.com'))}`,
      { method: 'POST', headers: { origin: server.url } },
    );
    manageToken = /href="\/subscriptions\/([\w.-]+)"/.exec(await confirmed.text())?.[1] ?? '';
    if (!confirmToken || !manageToken || !inviteToken)
      throw new Error('could not find the confirmation, management or invitation links');
  }, 180_000);

  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the setup form with 4xx, never a 5xx, whatever the body', () => {
    expect(setupTally.failures, report('setup form', setupTally)).toEqual([]);
  });

  it('answers every public form with 4xx or a page, never a 5xx, whatever the body', async () => {
    const real = (rng: Rng, path: string, fallback: string) => (rng() < 0.75 ? path : fallback);
    const targets: Record<string, Target> = {
      '/subscribe': {
        path: '/subscribe',
        shape: { fields: ['email', 'scope', 'component'], plausible: { scope: 'some', component: componentId } },
      },
      '/subscriptions/<token>': {
        path: (rng) => real(rng, `/subscriptions/${manageToken}`, `/subscriptions/${pick(rng, GARBAGE_IDS)}`),
        shape: {
          fields: ['action', 'scope', 'component'],
          plausible: { action: 'save', scope: 'some', component: componentId },
        },
      },
      '/subscriptions/confirm/<token>': {
        path: (rng) =>
          real(rng, `/subscriptions/confirm/${confirmToken}`, `/subscriptions/confirm/${pick(rng, GARBAGE_IDS)}`),
        shape: { fields: [] },
      },
      '/invite': {
        path: (rng) => real(rng, `/invite?token=${inviteToken}`, `/invite?token=${pick(rng, GARBAGE_IDS)}`),
        shape: { fields: ['name', 'password'] },
      },
      // Last: a post here unsubscribes whatever the body says.
      '/subscriptions/<token>/unsubscribe': {
        path: (rng) =>
          real(
            rng,
            `/subscriptions/${manageToken}/unsubscribe`,
            `/subscriptions/${pick(rng, GARBAGE_IDS)}/unsubscribe`,
          ),
        shape: { fields: ['List-Unsubscribe'] },
      },
    };
    const t = tally();
    for (const [name, target] of Object.entries(targets)) await fuzzTarget(name, target, t);
    expect(t.failures, report('public forms', t)).toEqual([]);
  }, 90_000);

  it('answers every console form with a page, a redirect or 4xx, never a 5xx, whatever the body', async () => {
    const formKey = 'fuzzformkey-0123456789abcdef';
    const signedIn = () => cookie;
    const console_ = (path: string, fields: string[], plausible: Record<string, string> = {}): Target => ({
      path,
      shape: { fields, plausible },
      cookie: signedIn,
    });
    const statuses = Object.fromEntries([[`component:${componentId}`, 'major_outage']]);
    // In this order: the password and sign-in forms count failures, and signing out ends a session.
    const targets: Record<string, Target> = {
      '/admin': console_('/admin', ['status', 'incident', 'component', 'title', 'body', 'notify', 'form_key'], {
        status: 'partial_outage',
        incident: 'new',
        component: componentId,
        form_key: formKey,
      }),
      '/admin/incidents/new': console_(
        '/admin/incidents/new',
        ['action', 'name', 'body', 'status', 'impact', 'template', 'notify', 'form_key', `component:${componentId}`],
        { form_key: formKey, ...statuses },
      ),
      '/admin/incidents/<id>': console_(
        `/admin/incidents/${incidentId}`,
        [
          'action',
          'status',
          'body',
          'update_id',
          'postmortem',
          'template',
          'notify',
          'form_key',
          `component:${componentId}`,
        ],
        { status: 'identified', form_key: formKey },
      ),
      '/admin/maintenance': console_(
        '/admin/maintenance',
        [
          'action',
          'id',
          'name',
          'body',
          'scheduled_for',
          'scheduled_until',
          'component',
          'components_shown',
          'auto_start',
          'auto_complete',
          'notify',
          'form_key',
        ],
        { action: 'schedule', form_key: formKey },
      ),
      '/admin/components': console_(
        '/admin/components',
        ['action', 'id', 'name', 'description', 'group_id', 'hidden'],
        { action: 'save', id: componentId },
      ),
      '/admin/templates': console_('/admin/templates', ['action', 'id', 'name', 'kind', 'status', 'title', 'body'], {
        action: 'create',
        kind: 'incident',
      }),
      '/admin/settings': console_('/admin/settings', [
        'page_name',
        'base_url',
        'time_zone',
        'support_url',
        'logo_url',
        'brand_color',
        'cadence_critical_minutes',
        'cadence_major_minutes',
        'cadence_minor_minutes',
        'cadence_none_minutes',
      ]),
      '/admin/team': console_('/admin/team', ['action', 'id', 'role', 'email', 'form_key'], {
        action: 'invite',
        role: 'viewer',
        form_key: formKey,
      }),
      '/admin/tokens': console_('/admin/tokens', ['action', 'id', 'name', 'user_id', 'form_key'], {
        action: 'create',
        form_key: formKey,
      }),
      '/admin/account': console_(
        '/admin/account',
        ['action', 'id', 'current_password', 'new_password', 'repeat_password'],
        { action: 'password' },
      ),
      '/admin/confirm': console_('/admin/confirm?next=/admin', ['username', 'password']),
      '/admin/login': { path: '/admin/login?next=/admin', shape: { fields: ['email', 'password'] } },
      '/admin/logout': { path: '/admin/logout', shape: { fields: [] }, cookie: () => spareCookie },
    };
    const t = tally();
    for (const [name, target] of Object.entries(targets)) await fuzzTarget(name, target, t);
    expect(t.failures, report('console forms', t)).toEqual([]);
  }, 120_000);
});
