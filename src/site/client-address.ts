// Set on each request by Astro's Node adapter (see astro's core/app/node).
const CLIENT_ADDRESS = Symbol.for('astro.clientAddress');

/** The caller's address; X-Forwarded-For only counts behind a proxy we were told to trust. */
export function clientAddress(request: Request, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  const address: unknown = Reflect.get(request, CLIENT_ADDRESS);
  return typeof address === 'string' ? address : 'unknown';
}
