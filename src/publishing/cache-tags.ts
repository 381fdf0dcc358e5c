/**
 * How a public response says what data it shows, so the site cache can drop it when that data
 * changes. Tags: `status` (components, open incidents, maintenance, the indicator), `history`
 * (past incidents), `feeds` (Atom, RSS, iCalendar), `incident:<code>` (one permalink), and
 * `incident:*` (every permalink). The header is read and removed by src/publishing/site-cache.ts.
 */
export const CACHE_TAGS_HEADER = 'x-herald-cache-tags';

export type CacheTag = 'status' | 'history' | 'feeds' | `incident:${string}`;

export function setCacheTags(headers: Headers, tags: readonly CacheTag[]): void {
  headers.set(CACHE_TAGS_HEADER, tags.join(' '));
}

export function readCacheTags(headers: Headers): string[] {
  return (headers.get(CACHE_TAGS_HEADER) ?? '').split(' ').filter(Boolean);
}
