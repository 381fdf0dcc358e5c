/** The post-incident review's outline from the team's playbooks, offered as a postmortem's start. */
export const POSTMORTEM_OUTLINE =
  '## Summary\n\n## Impact\n\n## Timeline\n\n## Root cause\n\n## What went well\n\n## What we will improve\n\n## Action items\n';

const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;

/** The headings whose section holds no text yet, in order: what is left to write. */
export function emptySections(markdown: string): string[] {
  const empty: string[] = [];
  let current: { title: string; filled: boolean } | null = null;
  for (const line of markdown.split('\n')) {
    const heading = HEADING.exec(line);
    if (heading) {
      if (current && !current.filled) empty.push(current.title);
      current = { title: heading[1] ?? '', filled: false };
    } else if (current && line.trim() !== '') {
      current.filled = true;
    }
  }
  if (current && !current.filled) empty.push(current.title);
  return empty;
}

/** True when there is something to read besides headings: an untouched outline is not a postmortem. */
export function hasContent(markdown: string): boolean {
  return markdown.split('\n').some((line) => line.trim() !== '' && !HEADING.test(line));
}
