/**
 * What a webhook receiver's answer means for the delivery (issue 13, "Delivery rules"): 2xx is
 * done; 404/410 say the webhook or channel is gone, so the subscriber is disabled; 429 and 5xx
 * are retried when the receiver asks (Retry-After) or after the backoff; a redirect is not
 * followed (it could lead anywhere, including inside our network) and other 4xx are final.
 * Pure: the caller passes the time.
 */
import { MAX_RETRY_AFTER_MS, type SendFailure } from './delivery-policy.ts';

export type OutboundResponse = {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The start of the body, for the delivery log. */
  bodySnippet: string;
};

/** How much of a receiver's words the delivery log keeps. */
const SNIPPET_CHARS = 200;

/** The failure a response stands for, or undefined when it is a success (2xx). */
export function responseFailure(response: OutboundResponse, now: number): SendFailure | undefined {
  const { status } = response;
  if (status >= 200 && status < 300) return undefined;
  const said = snippet(response.bodySnippet);
  const answered = `the receiver answered ${status}${said ? `: ${said}` : ''}`;
  if (status === 404 || status === 410)
    return {
      permanent: true,
      disable: `the receiver answered ${status}: the webhook or channel is gone`,
      message: answered,
    };
  if (status === 429 || (status >= 500 && status < 600)) {
    const retryAfterMs = parseRetryAfter(header(response.headers, 'retry-after'), now);
    return { permanent: false, message: answered, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (status >= 300 && status < 400) {
    const location = snippet(header(response.headers, 'location') ?? '');
    const to = location ? ` to ${location}` : '';
    return {
      permanent: true,
      message: `the receiver answered ${status} (a redirect${to}): redirects are not followed; use the final URL`,
    };
  }
  return { permanent: true, message: answered };
}

/**
 * Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in milliseconds from `now`:
 * a date in the past is "now", the wait is capped at the longest the policy honours, and a value
 * that is neither is ignored (the backoff decides).
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // A date names a weekday or month; a bare or signed number that is not delay-seconds is not one.
  if (!/[a-z]/i.test(text)) return undefined;
  // HTTP dates are GMT; asctime's form does not say so, and Date.parse would read it as local time.
  const at = Date.parse(/(GMT|UTC|Z)$/i.test(text) ? text : `${text} GMT`);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

function header(headers: OutboundResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}
