/**
 * The address customers are sent to. The page's own setting wins over the address the server was
 * started with, so links stay right behind a proxy; no trailing slash so paths can be appended.
 */
export function publicBase(configured: string | null | undefined, fallback: string): string {
  return (configured || fallback).replace(/\/+$/, '');
}

/** An incident's permalink, or one of its updates: what support pastes to customers. */
export function incidentLink(base: string, code: string, updateId?: string): string {
  return `${base}/incidents/${code}${updateId ? `#update-${updateId}` : ''}`;
}
