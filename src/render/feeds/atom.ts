import { escapeXml, type FeedEntry, type FeedInfo } from './entries.ts';

/** Atom 1.0 (RFC 4287). */
export function atomFeed(info: FeedInfo, entries: FeedEntry[]): string {
  const body = entries
    .map(
      (e) => `  <entry>
    <id>${escapeXml(e.id)}</id>
    <title>${escapeXml(e.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(e.url)}"/>
    <published>${e.published}</published>
    <updated>${e.updated}</updated>
    <content type="html">${escapeXml(e.html)}</content>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(info.language)}">
  <id>${escapeXml(info.home)}</id>
  <title>${escapeXml(info.title)}</title>
  <subtitle>${escapeXml(info.description)}</subtitle>
  <updated>${info.updated}</updated>
  <link rel="alternate" type="text/html" href="${escapeXml(info.home)}"/>
  <link rel="self" type="application/atom+xml" href="${escapeXml(info.self)}"/>
  <author><name>${escapeXml(info.pageName)}</name></author>
  <generator>Herald</generator>
${body}
</feed>
`;
}
