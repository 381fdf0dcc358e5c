/**
 * What a template's placeholders are filled with, already worded: the caller formats times in the
 * page's zone. A value left out leaves its placeholder's fallback.
 */
export type TemplateValues = {
  /** {{severity}}: the team's name for the impact ("P1 · Critical"), or the impact itself. */
  severity?: string;
  /** {{next_update}}: when the next public update is due ("15:30 CET"). */
  nextUpdate?: string;
  /** {{eta}}: when the lead expects it to be fixed, or a maintenance window to end. */
  eta?: string;
  /** {{page_name}}. */
  pageName?: string;
};

export const TEMPLATE_PLACEHOLDERS = ['components', 'severity', 'next_update', 'eta', 'page_name'] as const;

const FALLBACKS = {
  severity: 'this',
  nextUpdate: 'as soon as we know more',
  eta: 'as soon as possible',
  pageName: 'our status page',
};

/** "API", "API and Web", "API, Web and Mail"; no names: "our services". */
export function listNames(names: readonly string[]): string {
  if (names.length === 0) return 'our services';
  if (names.length === 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

// Verbs a template writes after {{components}}, in either number, so "{{components}} are" reads
// "API is" for one component and "API and Web are" for two.
const VERBS: ReadonlyArray<[singular: string, plural: string]> = [
  ['is', 'are'],
  ['was', 'were'],
  ['has', 'have'],
  ['is not', 'are not'],
  ["isn't", "aren't"],
  ['was not', 'were not'],
  ["wasn't", "weren't"],
  ['has been', 'have been'],
];
const VERB_AFTER = new RegExp(
  `\\{\\{components\\}\\}(\\s+)(${VERBS.flat()
    .sort((a, b) => b.length - a.length)
    .join('|')})\\b`,
  'g',
);

/**
 * Fills a template: {{components}} with the affected components' names as a list, and the verb
 * that follows it in the right number; {{severity}}, {{next_update}}, {{eta}} and {{page_name}}
 * with the words the caller gives.
 */
export function fillTemplate(text: string, componentNames: readonly string[], values: TemplateValues = {}): string {
  const one = componentNames.length === 1;
  const agreed = text.replace(VERB_AFTER, (_match, space: string, verb: string) => {
    const pair = VERBS.find(([s, p]) => s === verb || p === verb);
    return `{{components}}${space}${pair ? (one ? pair[0] : pair[1]) : verb}`;
  });
  // Replaced by functions: a page name like "$& Co" must come out as written, not as a pattern.
  const words: Record<string, string> = {
    '{{components}}': listNames(componentNames),
    '{{severity}}': values.severity || FALLBACKS.severity,
    '{{next_update}}': values.nextUpdate || FALLBACKS.nextUpdate,
    '{{eta}}': values.eta || FALLBACKS.eta,
    '{{page_name}}': values.pageName || FALLBACKS.pageName,
  };
  return agreed.replace(
    /\{\{(components|severity|next_update|eta|page_name)\}\}/g,
    (placeholder) => words[placeholder] ?? placeholder,
  );
}
