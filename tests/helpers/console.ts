import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { ServerProcess } from '../../src/cli/child-server.ts';

export const OWNER = { email: 'bench@example.com', password: 'bench password 123' };

/** Signs in through the console's own form, in a fresh browser context, landing on `next`. */
export async function signIn(
  browser: Browser,
  server: ServerProcess,
  who: { email: string; password: string },
  next = '/admin',
  options: BrowserContextOptions = {},
): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  // Shorter than the test's own limit, so a missing element fails with its locator named.
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.url}/admin/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.url}${next}`);
  return page;
}

/** The page's cookies as a Cookie header, to send the same session with fetch. */
export async function cookieOf(page: Page): Promise<string> {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

/** Posts a urlencoded form as the browser would (same origin), without following the redirect. */
export function postForm(
  server: ServerProcess,
  path: string,
  cookie: string,
  fields: Record<string, string>,
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}
