import type { Kysely } from 'kysely';

/**
 * The page in the customer's language and the company's look: which languages the page speaks
 * (the default at `/`, the others under their prefix), each subscriber's language, and the
 * branding settings beyond a name, a logo and a colour.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const settings: Array<[string, string | number | null]> = [
    // BCP 47 codes; `languages` is the comma-separated list the page offers, default first or not.
    ['default_language', 'en'],
    ['languages', 'en'],
    // 1: `/` sends a reader to their Accept-Language's page (with Vary); 0: never.
    ['language_redirect', 0],
    ['logo_dark_url', null],
    ['favicon_url', null],
    // JSON [{ "label": "…", "url": "https://…" }]
    ['header_links', '[]'],
    ['footer_markdown', null],
    ['about_markdown', null],
    ['custom_css', null],
  ];
  for (const [name, value] of settings) {
    await db.schema
      .alterTable('settings')
      .addColumn(name, typeof value === 'number' ? 'integer' : 'text', (c) =>
        value === null ? c : c.notNull().defaultTo(value),
      )
      .execute();
  }
  // The language a subscriber reads their mails and pushes in: the page they subscribed from.
  await db.schema
    .alterTable('subscribers')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .execute();
}
