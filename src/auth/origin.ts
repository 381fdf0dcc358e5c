const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * CSRF defence for cookie-authenticated writes: the browser must say the request comes from this
 * site (Origin, or Referer where Origin is absent). Browsers always send one of them on a
 * cross-site POST, so a missing pair is refused too. Scheme, host and port must all match the
 * address the request was made to or the configured public address: http://status.example.com
 * is another origin than https://status.example.com.
 */
export function isSameOrigin(request: Request, trustedOrigins: readonly string[]): boolean {
  const origin = request.headers.get('origin') ?? refererOrigin(request.headers.get('referer'));
  if (!origin || origin === 'null') return false;
  try {
    const claimed = new URL(origin).origin;
    return claimed === new URL(request.url).origin || trustedOrigins.includes(claimed);
  } catch {
    return false;
  }
}

function refererOrigin(referer: string | null): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}
