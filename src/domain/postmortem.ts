import MarkdownIt from 'markdown-it';

/**
 * The post-incident review's outline from the team's playbooks, offered as a postmortem's start.
 * Its last section shows the convention: a heading ending in "(internal)" never goes public.
 */
export const POSTMORTEM_OUTLINE =
  '## Summary\n\n## Impact\n\n## Timeline\n\n## Root cause\n\n## What went well\n\n## What we will improve\n\n## Action items\n\n## Internal notes (internal)\n';

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

// Block structure as the renderer (src/render/markdown.ts) sees it: a heading inside a code block
// is not one, a setext heading is one. The same parser decides, so what is cut is what renders.
const blocks = new MarkdownIt({ html: false });

const PRIVATE_MARK = /\(internal\)$/i;

type Section = { title: string; level: number; start: number; private: boolean };

function sectionsOf(markdown: string): { lines: string[]; sections: Section[] } {
  const source = markdown.replace(/\r\n?/g, '\n');
  const tokens = blocks.parse(source, {});
  const sections: Section[] = [];
  tokens.forEach((token, i) => {
    if (token.type !== 'heading_open' || !token.map) return;
    const title = (tokens[i + 1]?.content ?? '').replace(/\s+/g, ' ').trim();
    sections.push({
      title,
      level: Number(token.tag.slice(1)),
      start: token.map[0],
      // "## Timeline _(internal)_" is marked as plainly as "## Timeline (internal)".
      private: PRIVATE_MARK.test(title.replace(/[*_`~]/g, '').trim()),
    });
  });
  return { lines: source.split('\n'), sections };
}

/**
 * The titles of the sections kept for the team: a heading that ends with "(internal)", in any
 * case. Such a section runs until the next heading of the same or a higher level.
 */
export function privateSections(markdown: string): string[] {
  return sectionsOf(markdown)
    .sections.filter((s) => s.private)
    .map((s) => s.title);
}

/** The postmortem as the public sees it: every private section left out, headings included. */
export function publicPostmortem(markdown: string): string {
  const { lines, sections } = sectionsOf(markdown);
  if (!sections.some((s) => s.private)) return markdown;
  const cut = new Array<boolean>(lines.length).fill(false);
  sections.forEach((section, i) => {
    if (!section.private) return;
    const next = sections.slice(i + 1).find((s) => s.level <= section.level);
    cut.fill(true, section.start, next ? next.start : lines.length);
  });
  const kept: string[] = [];
  lines.forEach((line, i) => {
    if (!cut[i]) kept.push(line);
    // A blank line where a section was cut, so the text around it cannot run together.
    else if (!cut[i - 1] && kept.length > 0 && kept[kept.length - 1]?.trim() !== '') kept.push('');
  });
  const text = kept.join('\n').replace(/\s+$/, '');
  return text === '' ? '' : `${text}\n`;
}
