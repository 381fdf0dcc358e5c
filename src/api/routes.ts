import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Actor } from '../services/actor.ts';
import { Unauthorized } from '../services/errors.ts';
import type { Page } from '../services/paging.ts';
import { validate } from '../services/validate.ts';
import { HttpProblem } from './problem.ts';

export type Env = { Variables: { actor: Actor | null } };

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

type Schema = z.ZodType;
type Infer<S> = S extends Schema ? z.infer<S> : undefined;

export type RouteSpec<B extends Schema | undefined, Q extends Schema | undefined> = {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  /** Role the route needs, for the document only: the service enforces it. */
  role: 'viewer' | 'editor' | 'owner' | 'anyone' | 'signed-in';
  body?: B;
  query?: Q;
  status?: 200 | 201 | 204;
  paged?: boolean;
  handler: (input: {
    actor: Actor;
    body: Infer<B>;
    query: Infer<Q>;
    param: (name: string) => string;
    c: Context<Env>;
  }) => Promise<unknown>;
  /** Routes used before signing in (sign-in itself) take a null actor. */
  public?: boolean;
};

export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
    throw new HttpProblem(415, 'Send the request body as JSON with Content-Type: application/json');
  }
  const text = await c.req.text();
  if (text.trim() === '') throw new HttpProblem(400, 'The request body is empty; send a JSON object');
  let parsed: unknown;
  const reserved: string[] = [];
  try {
    // `__proto__` and friends would vanish on their way into a plain object, and what they
    // carried with them: refused by name instead of dropped without a word.
    parsed = JSON.parse(text, (key, value: unknown) => {
      if (RESERVED_KEYS.has(key)) reserved.push(key);
      return value;
    });
  } catch (error) {
    throw new HttpProblem(400, `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (reserved.length) {
    throw new HttpProblem(
      422,
      'The request body uses a reserved name as a key',
      [...new Set(reserved)].map((key) => ({ field: key, message: 'is a reserved name and cannot be used as a key' })),
    );
  }
  return parsed;
}

const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseWith<S extends Schema>(schema: S, value: unknown, what: string): z.infer<S> {
  return validate(schema, value, what);
}

function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

/** Registers routes on a Hono app and keeps the OpenAPI description of each in step with it. */
export class RouteTable {
  readonly paths: Record<string, Record<string, unknown>> = {};

  readonly #app: Hono<Env>;
  readonly #prefix: string;

  constructor(app: Hono<Env>, prefix: string) {
    this.#app = app;
    this.#prefix = prefix;
  }

  add<B extends Schema | undefined = undefined, Q extends Schema | undefined = undefined>(spec: RouteSpec<B, Q>): void {
    this.#app.on(spec.method.toUpperCase(), spec.path, async (c) => {
      const actor = c.get('actor');
      if (!actor && !spec.public) throw new Unauthorized('Sign in or send an API token (Authorization: Bearer …)');
      const body = (spec.body ? parseWith(spec.body, await readJson(c), 'request body') : undefined) as Infer<B>;
      const query = (spec.query ? parseWith(spec.query, c.req.query(), 'query string') : undefined) as Infer<Q>;
      const param = (name: string) => c.req.param(name) ?? '';
      const result = await spec.handler({ actor: actor as Actor, body, query, param, c });
      if (result instanceof Response) return result;
      if (spec.status === 204 || result === undefined) return c.body(null, 204);
      if (spec.paged) return pagedResponse(c, result as Page<unknown>);
      return c.json(result, spec.status ?? 200);
    });
    this.describe(spec);
  }

  private describe(spec: RouteSpec<Schema | undefined, Schema | undefined>): void {
    const path = openApiPath(this.#prefix + spec.path);
    const params = [...spec.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = spec.query ? queryParameters(spec.query) : [];
    const success = String(spec.status ?? 200);
    this.paths[path] ??= {};
    this.paths[path][spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      description: `Requires: ${spec.role}.`,
      parameters: [...params, ...query],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: z.toJSONSchema(spec.body, { io: 'input', unrepresentable: 'any' }) },
              },
            },
          }
        : {}),
      responses: {
        [success]: {
          description:
            success === '204'
              ? 'Done; no content.'
              : spec.paged
                ? 'A page of results (X-Total-Count and Link headers).'
                : 'The resource.',
        },
        default: {
          description: 'A problem (RFC 9457).',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      },
      ...(spec.public ? { security: [] } : {}),
    };
  }
}

function queryParameters(schema: Schema): unknown[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

function pagedResponse(c: Context, page: Page<unknown>): Response {
  const url = new URL(c.req.url);
  const links: string[] = [];
  const last = Math.max(1, Math.ceil(page.total / page.perPage));
  const linkTo = (n: number, rel: string) => {
    url.searchParams.set('page', String(n));
    url.searchParams.set('per_page', String(page.perPage));
    links.push(`<${url.pathname}${url.search}>; rel="${rel}"`);
  };
  if (page.page < last) linkTo(page.page + 1, 'next');
  if (page.page > 1) linkTo(page.page - 1, 'prev');
  linkTo(1, 'first');
  linkTo(last, 'last');
  c.header('x-total-count', String(page.total));
  c.header('link', links.join(', '));
  return c.json(page.items);
}
