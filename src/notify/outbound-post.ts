/**
 * POSTs to subscriber-given URLs (webhooks, Slack, Teams) that cannot be turned against the
 * server (issue 13, "Delivery rules"). The URL is checked (src/domain/outbound-url.ts), the host
 * resolved once, every address it resolves to must be public (or allowlisted), and the socket
 * goes to an address from that checked answer: the request's `lookup` answers it instead of
 * asking DNS again, so a rebinding DNS answer cannot move the post. TLS still verifies the
 * hostname (SNI and Host stay the name). One deadline covers resolving, connecting, the answer
 * and its body; redirects are not followed (node:http never does).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { type Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { allowed, describeAddress, isPublicAddress } from '../domain/outbound-address.ts';
import { checkTargetUrl, type Target, type TargetRules } from '../domain/outbound-url.ts';
import { type OutboundResponse, responseFailure } from '../domain/outbound-failure.ts';
import type { SendFailure } from '../domain/delivery-policy.ts';
import { Semaphore } from '../lib/semaphore.ts';

export type { OutboundResponse };

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_PER_HOST_LIMIT = 8;
/** Read at most this much of an answer (then drop the connection): a receiver cannot make us read forever. */
export const MAX_BODY_BYTES = 64 * 1024;
/** What of it is kept for the delivery log. */
const SNIPPET_BYTES = 1024;

export type OutboundOptions = TargetRules & {
  /** Extra trusted CA certificates (tests' own CA). */
  ca?: string | Buffer;
  /**
   * A keep-alive agent, one per sender: each new socket still goes through the pinned lookup, and
   * a reused one was connected to an address that passed the same checks. Do not share one
   * between callers with different allowlists.
   */
  agent?: HttpAgent | HttpsAgent;
  /** How much of the answer is kept in `bodySnippet` (default 1 KiB; at most the 64 KiB read). */
  keepBytes?: number;
  /** Posts under way to one host at once (default 8); the rest wait their turn. */
  perHostLimit?: number;
  signal?: AbortSignal;
  /** The deadline from resolving to the end of the answer (default 10 s). */
  timeoutMs?: number;
  /** Resolves a hostname to all its addresses (default dns.lookup); tests inject answers. */
  lookup?: (hostname: string) => Promise<readonly LookupAddress[]>;
};

/** The URL or an address it resolves to may not be posted to: final, never retried. */
export class RefusedTarget extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`refused: ${reason}`);
    this.name = 'RefusedTarget';
    this.reason = reason;
  }
}

/** The post did not get through (DNS, connection, TLS, cancelled): worth another try. */
export class TransportFailure extends Error {
  readonly code: string | undefined;
  constructor(message: string, code?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransportFailure';
    this.code = code;
  }
}

export class OutboundTimeout extends TransportFailure {
  constructor(ms: number) {
    super(`no answer within ${ms / 1000} s`, 'ETIMEDOUT');
    this.name = 'OutboundTimeout';
  }
}

/** Thrown by a sender for an answer that is not 2xx, so its `classify` sees the answer. */
export class ReceiverAnswered extends Error {
  readonly response: OutboundResponse;
  constructor(response: OutboundResponse) {
    super(`the receiver answered ${response.status}`);
    this.name = 'ReceiverAnswered';
    this.response = response;
  }
}

export async function postJson(
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  options: OutboundOptions = {},
): Promise<OutboundResponse> {
  const target = targetOf(url, options);
  refuseUnpinnableAgent(options.agent);
  return withHostSlot(target.host, options.perHostLimit ?? DEFAULT_PER_HOST_LIMIT, () =>
    withDeadline(options, async (signal) => {
      const addresses = await checkedAddresses(target, options, signal);
      return send(target, addresses, body, headers, options, signal);
    }),
  );
}

/**
 * Checks a URL as a post would (its text, then every address its host resolves to) without
 * posting: for subscribe time, to tell the subscriber at once. Throws what postJson would.
 */
export async function checkTarget(
  url: string,
  options: Pick<OutboundOptions, 'allowHttp' | 'allowlist' | 'lookup' | 'signal' | 'timeoutMs'> = {},
): Promise<void> {
  const target = targetOf(url, options);
  await withDeadline(options, (signal) => checkedAddresses(target, options, signal));
}

function targetOf(url: string, rules: TargetRules): Target {
  const check = checkTargetUrl(url, rules);
  if (!check.ok) throw new RefusedTarget(`the URL ${check.reason}`);
  return check.target;
}

/** Runs `task` under the deadline and the caller's signal, and names what went wrong in one of our errors. */
async function withDeadline<T>(
  options: Pick<OutboundOptions, 'signal' | 'timeoutMs'>,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  options.signal?.throwIfAborted();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new OutboundTimeout(timeoutMs)), timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
  try {
    return await task(signal);
  } catch (error) {
    if (error instanceof RefusedTarget || error instanceof TransportFailure) throw error;
    if (deadline.signal.aborted) throw new OutboundTimeout(timeoutMs);
    if (options.signal?.aborted) throw new TransportFailure('the post was cancelled', 'ABORT_ERR', { cause: error });
    const code = (error as NodeJS.ErrnoException).code;
    throw new TransportFailure(error instanceof Error ? error.message : String(error), code, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** What a post's outcome means for the delivery; undefined when it was a success (2xx). */
export function classifyResponse(outcome: unknown, now: number = Date.now()): SendFailure | undefined {
  if (outcome instanceof ReceiverAnswered) return responseFailure(outcome.response, now);
  if (outcome instanceof RefusedTarget) return { permanent: true, message: outcome.message };
  if (outcome instanceof Error) return { permanent: false, message: outcome.message.slice(0, 300) };
  if (isResponse(outcome)) return responseFailure(outcome, now);
  return { permanent: false, message: String(outcome).slice(0, 300) };
}

function isResponse(value: unknown): value is OutboundResponse {
  return typeof value === 'object' && value !== null && typeof (value as OutboundResponse).status === 'number';
}

/** The host's addresses, every one of them public or allowlisted; a literal is its own answer. */
async function checkedAddresses(
  target: Target,
  options: OutboundOptions,
  signal: AbortSignal,
): Promise<readonly LookupAddress[]> {
  if (target.ip !== undefined) return [{ address: target.ip, family: target.ip.includes(':') ? 6 : 4 }];
  const resolve = options.lookup ?? recentAnswer;
  const addresses = await abortable(resolve(target.host), signal);
  if (addresses.length === 0) throw new TransportFailure(`${target.host} has no address`, 'ENOTFOUND');
  // Any one refused refuses all: which of them a connection would use is not ours to predict.
  const refused = addresses.find(
    ({ address }) => !isPublicAddress(address) && !allowed(target.host, address, options.allowlist ?? []),
  );
  if (refused)
    throw new RefusedTarget(`${target.host} resolves to a non-public address: ${describeAddress(refused.address)}`);
  return addresses;
}

/**
 * How long a DNS answer is reused. A fan-out posts thousands of times to the same few hosts
 * (Slack's, Teams'); asking the resolver for each was an eighth of a post's CPU. The answer is
 * still checked before every post and the socket still goes to a checked address, so a name that
 * turns private is refused at most this late.
 */
const ANSWER_TTL_MS = 1_000;
const answers = new Map<string, { at: number; addresses: Promise<readonly LookupAddress[]> }>();

function recentAnswer(host: string): Promise<readonly LookupAddress[]> {
  const now = performance.now();
  const hit = answers.get(host);
  if (hit && now - hit.at < ANSWER_TTL_MS) return hit.addresses;
  if (answers.size > 1_000) answers.clear();
  const addresses = dnsLookup(host, { all: true, order: 'verbatim' });
  answers.set(host, { at: now, addresses });
  // A failed lookup is asked again by the next post, not remembered.
  addresses.catch(() => answers.delete(host));
  return addresses;
}

/** A lookup that answers the checked addresses whatever it is asked: the socket cannot go elsewhere. */
function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    const wanted = lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 'IPv6' ? 6 : lookupOptions.family;
    const usable = wanted === 4 || wanted === 6 ? addresses.filter((a) => a.family === wanted) : [...addresses];
    const first = usable[0];
    if (!first) callback(Object.assign(new Error('no checked address of that family'), { code: 'ENOTFOUND' }), '');
    else if (lookupOptions.all) callback(null, usable);
    else callback(null, first.address, first.family);
  };
}

/** Host and the body's framing are ours: Host must name what TLS verified. */
const OURS = new Set(['host', 'content-length', 'transfer-encoding']);

function send(
  target: Target,
  addresses: readonly LookupAddress[],
  body: string,
  headers: Readonly<Record<string, string>>,
  options: OutboundOptions,
  signal: AbortSignal,
): Promise<OutboundResponse> {
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const given = Object.fromEntries(Object.entries(headers).filter(([name]) => !OURS.has(name.toLowerCase())));
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = request(
      {
        method: 'POST',
        hostname: target.host,
        port: target.port,
        path: `${target.url.pathname}${target.url.search}`,
        headers: { 'content-type': 'application/json', ...given, 'content-length': Buffer.byteLength(body) },
        lookup: pinnedLookup(addresses),
        // No agent given: a fresh one per post, closed after it, so no socket outlives its check.
        agent: options.agent ?? false,
        signal,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      },
      (res) => readAnswer(res, Math.min(options.keepBytes ?? SNIPPET_BYTES, MAX_BODY_BYTES)).then(resolve, reject),
    );
    // `on`, not `once`: a socket error after the answer was read must not go unhandled.
    req.on('error', reject);
    req.end(body);
  });
}

/** Events rather than an async iterator: a fan-out reads thousands of two-byte answers. */
function readAnswer(res: IncomingMessage, keep: number): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let read = 0;
    const answer = (): OutboundResponse => ({
      status: res.statusCode ?? 0,
      headers: res.headers,
      bodySnippet: new TextDecoder().decode(Buffer.concat(kept)),
    });
    res.on('data', (chunk: Buffer) => {
      if (keptBytes < keep) {
        kept.push(chunk.subarray(0, keep - keptBytes));
        keptBytes += Math.min(chunk.length, keep - keptBytes);
      }
      read += chunk.length;
      // Enough: the response and its socket are dropped, the rest is never read.
      if (read > MAX_BODY_BYTES) {
        res.destroy();
        resolve(answer());
      }
    });
    res.on('end', () => resolve(answer()));
    res.on('error', reject);
  });
}

/**
 * An agent's own options win over the request's (node:http): one that sets where to connect
 * (host, port, socket path, its own lookup or proxy) or how to verify TLS would undo the checks.
 */
const UNPINNABLE = ['lookup', 'proxyEnv', 'host', 'hostname', 'port', 'socketPath', 'path', 'servername'];

function refuseUnpinnableAgent(agent: HttpAgent | HttpsAgent | undefined): void {
  const agentOptions = (agent as { options?: Record<string, unknown> } | undefined)?.options ?? {};
  const set = UNPINNABLE.filter((name) => agentOptions[name] !== undefined && agentOptions[name] !== null);
  if (agentOptions.rejectUnauthorized === false) set.push('rejectUnauthorized');
  if (set.length > 0)
    throw new TypeError(
      `an outbound agent must not set ${set.join(', ')}: the checked address or name would not be used`,
    );
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** One semaphore per host and limit while posts to it are under way or waiting; dropped when idle. */
const hostSlots = new Map<string, { semaphore: Semaphore; users: number }>();

async function withHostSlot<T>(host: string, limit: number, task: () => Promise<T>): Promise<T> {
  const key = `${limit} ${host}`;
  let slots = hostSlots.get(key);
  if (!slots) hostSlots.set(key, (slots = { semaphore: new Semaphore(limit), users: 0 }));
  slots.users++;
  try {
    return await slots.semaphore.run(task);
  } finally {
    if (--slots.users === 0) hostSlots.delete(key);
  }
}
