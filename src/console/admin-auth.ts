import type { AstroGlobal } from 'astro';
import { isSameOrigin } from '../auth/origin.ts';
import { heraldRuntime } from '../boot.ts';
import type { Runtime } from '../runtime.ts';
import { type PublicSettings, pageSettings } from '../services/settings.ts';
import type { Actor } from '../services/actor.ts';
import { FRESH_SIGN_IN_MS } from '../services/authorize.ts';
import { DomainError, Forbidden, Invalid, ReauthenticationRequired } from '../services/errors.ts';

export type AdminUser = Extract<Actor, { kind: 'user' }> & { email: string; name: string };

/**
 * The signed-in user of an admin page, or null (the page then redirects to the sign-in form).
 * Every admin page calls this first; tests enumerate src/pages/admin to hold them to it.
 */
export async function adminUser(
  runtime: Runtime,
  // An endpoint (a download) passes its cookies and the headers its answer will carry.
  astro: Pick<AstroGlobal, 'cookies'> & { response: { headers: Headers } },
): Promise<AdminUser | null> {
  astro.response.headers.set('cache-control', 'no-store');
  astro.response.headers.set('x-frame-options', 'DENY');
  const cookie = astro.cookies.get(runtime.lucia.sessionCookieName)?.value;
  if (!cookie) return null;
  const { session, user } = await runtime.lucia.validateSession(cookie);
  // Set-Cookie goes on the headers directly: under src/fetch.ts, Astro.cookies are not written out.
  if (!session) {
    astro.response.headers.append('set-cookie', runtime.lucia.createBlankSessionCookie().serialize());
    return null;
  }
  if (session.fresh)
    astro.response.headers.append('set-cookie', runtime.lucia.createSessionCookie(session.id).serialize());
  return {
    kind: 'user',
    userId: user.id,
    role: user.role,
    label: user.email,
    via: 'session',
    verifiedAt: session.verifiedAt,
    email: user.email,
    name: user.name,
  };
}

export type ConsolePage = { runtime: Runtime; user: AdminUser; settings: PublicSettings };

/**
 * How every console page begins: the runtime, the signed-in user and the page's settings, or
 * the redirect to the sign-in form that the page returns as it is.
 */
export async function openConsolePage(astro: AstroGlobal): Promise<ConsolePage | Response> {
  const runtime = await heraldRuntime();
  const user = await adminUser(runtime, astro);
  if (!user) return signInRedirect(astro);
  return { runtime, user, settings: await pageSettings(runtime.ctx) };
}

/** Forms post back to their own page; anything else is a cross-site request and refused. */
export function formFromThisSite(runtime: Runtime, request: Request): boolean {
  return request.method === 'POST' && isSameOrigin(request, [runtime.config.baseUrl.origin]);
}

/** The cookie value of the current session, which the session use cases need to tell it apart. */
export function sessionSecret(runtime: Runtime, astro: AstroGlobal): string | null {
  return astro.cookies.get(runtime.lucia.sessionCookieName)?.value ?? null;
}

/** Whether team and token changes will be accepted without typing the password again. */
export function recentlySignedIn(user: AdminUser, now: Date): boolean {
  return !!user.verifiedAt && now.getTime() - Date.parse(user.verifiedAt) <= FRESH_SIGN_IN_MS;
}

/** Only paths of this console: a crafted ?next= must not send people elsewhere. */
export function consolePath(requested: string | null): string {
  return requested && /^\/admin(\/[\w\-/]*)?$/.test(requested) ? requested : '/admin';
}

export function signInRedirect(astro: AstroGlobal): Response {
  const next = astro.url.pathname + astro.url.search;
  return seeOther(`/admin/login?next=${encodeURIComponent(next)}`, astro.response.headers.get('set-cookie'));
}

/** A 303 that carries a Set-Cookie header when there is one. */
export function seeOther(location: string, setCookie: string | null = null): Response {
  // A location built from form fields must not carry a whole field back: its query and fragment
  // are only hints for the next page, so an overlong one is dropped rather than sent.
  const bounded = location.length <= 2048 ? location : (location.split(/[?#]/)[0] ?? '/admin');
  const headers = new Headers({ location: bounded, 'cache-control': 'no-store' });
  if (setCookie) headers.append('set-cookie', setCookie);
  return new Response(null, { status: 303, headers });
}

export type FormOutcome = { done: Response } | { error: string };

/**
 * The shape of every console form post: refuse cross-site posts, run the action, and turn a
 * refusal by the use case into a readable message with 403 (role) or 422 (input) on the page.
 */
export async function runAdminForm(
  runtime: Runtime,
  astro: AstroGlobal,
  action: (form: FormData, field: (name: string) => string) => Promise<Response>,
): Promise<FormOutcome> {
  const form = await astro.request.formData();
  if (!formFromThisSite(runtime, astro.request)) {
    astro.response.status = 422;
    return { error: 'Please use the forms on this page.' };
  }
  try {
    return { done: await action(form, (name) => String(form.get(name) ?? '').trim()) };
  } catch (e) {
    if (e instanceof ReauthenticationRequired)
      return { done: seeOther(`/admin/confirm?next=${encodeURIComponent(astro.url.pathname)}`) };
    if (!(e instanceof DomainError)) throw e;
    astro.response.status = e instanceof Forbidden ? 403 : 422;
    return { error: refusalText(e) };
  }
}

/**
 * A refusal in words: an invalid form names each field with the message the API gives for the
 * same mistake ("title must not be empty"), from the same schema.
 */
export function refusalText(error: DomainError): string {
  if (!(error instanceof Invalid) || error.errors.length === 0) return error.message;
  const fields = error.errors.map(
    (e) => `${e.field === '(body)' ? '' : `${e.field.replace(/[_.]/g, ' ')} `}${e.message}`,
  );
  return `${error.message.replace(/\.$/, '')}: ${fields.join('; ')}.`;
}
