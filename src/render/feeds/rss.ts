import { escapeXml, type FeedEntry, type FeedInfo } from './entries.ts';

/** RFC 822 dates, as RSS 2.0 wants them. */
const rfc822 = (iso: string) => new Date(iso).toUTCString();

/** RSS 2.0, with an atom:link to itself as feed validators ask. */
export function rssFeed(info: FeedInfo, entries: FeedEntry[]): string {
  const items = entries
    .map(
      (e) => `    <item>
      <title>${escapeXml(e.title)}</title>
      <link>${escapeXml(e.url)}</link>
      <guid isPermaLink="true">${escapeXml(e.id)}</guid>
      <pubDate>${rfc822(e.updated)}</pubDate>
      <description>${escapeXml(e.html)}</description>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${escapeXml(info.title)}</title>
    <link>${escapeXml(info.home)}</link>
    <description>${escapeXml(info.description)}</description>
    <language>${escapeXml(info.language)}</language>
    <lastBuildDate>${rfc822(info.updated)}</lastBuildDate>
    <generator>Herald</generator>
    <atom:link href="${escapeXml(info.self)}" rel="self" type="application/rss+xml"/>
${items}
  </channel>
</rss>
`;
}
