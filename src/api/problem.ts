import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  Conflict,
  DatabaseBusy,
  DomainError,
  type FieldError,
  Forbidden,
  Invalid,
  NotFound,
  ReauthenticationRequired,
  TooManyRequests,
  Unauthorized,
} from '../services/errors.ts';

/** RFC 9457 problem details; `errors` lists the invalid fields of a validation failure. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemResponse(
  status: number,
  detail: string,
  extra: Partial<Problem> = {},
  headers: Record<string, string> = {},
): Response {
  const body: Problem = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, ...extra };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
  });
}

/** A failure the HTTP layer itself detects (bad JSON, oversized body), before any use case runs. */
export class HttpProblem extends Error {
  readonly status: ContentfulStatusCode;
  readonly errors: FieldError[] | undefined;
  constructor(status: ContentfulStatusCode, detail: string, errors?: FieldError[]) {
    super(detail);
    this.status = status;
    this.errors = errors;
  }
}

/** Tells a client to confirm the password (POST /api/admin/session/confirm) and retry. */
export const REAUTHENTICATE = 'urn:herald:problem:reauthentication-required';

function statusOf(error: DomainError): number {
  if (error instanceof Invalid) return 422;
  if (error instanceof NotFound) return 404;
  if (error instanceof Conflict) return 409;
  if (error instanceof Forbidden) return 403;
  if (error instanceof Unauthorized) return 401;
  if (error instanceof TooManyRequests) return 429;
  return 400;
}

/** The one place errors become HTTP; anything unexpected is logged and told apart from user error. */
export function onApiError(error: Error, c: Context): Response {
  const instance = new URL(c.req.url).pathname;
  if (error instanceof HttpProblem) {
    return problemResponse(error.status, error.message, {
      instance,
      ...(error.errors ? { errors: error.errors } : {}),
    });
  }
  if (error instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (error instanceof TooManyRequests) headers['retry-after'] = String(error.retryAfterSeconds);
    if (error instanceof Unauthorized) headers['www-authenticate'] = 'Bearer realm="herald"';
    const type = error instanceof ReauthenticationRequired ? { type: REAUTHENTICATE } : {};
    return problemResponse(
      statusOf(error),
      error.message,
      { instance, ...type, ...(error instanceof Invalid && error.errors.length ? { errors: error.errors } : {}) },
      headers,
    );
  }
  if (error instanceof DatabaseBusy) {
    return problemResponse(503, error.message, { instance }, { 'retry-after': String(error.retryAfterSeconds) });
  }
  if (error instanceof HTTPException) {
    return problemResponse(error.status, error.message || TITLES[error.status] || 'Error', { instance });
  }
  console.error(`[api] ${c.req.method} ${instance}`, error);
  return problemResponse(500, 'Herald hit an unexpected error; nothing was changed. The server log has the details.', {
    instance,
  });
}
