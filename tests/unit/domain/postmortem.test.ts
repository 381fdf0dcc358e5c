import { describe, expect, it } from 'vitest';
import {
  emptySections,
  hasContent,
  POSTMORTEM_OUTLINE,
  privateSections,
  publicPostmortem,
} from '../../../src/domain/postmortem.ts';

describe('a postmortem draft', () => {
  it('follows the post-incident review: every section of the untouched outline is empty, and it has no content', () => {
    expect(emptySections(POSTMORTEM_OUTLINE)).toEqual([
      'Summary',
      'Impact',
      'Timeline',
      'Root cause',
      'What went well',
      'What we will improve',
      'Action items',
      'Internal notes (internal)',
    ]);
    expect(hasContent(POSTMORTEM_OUTLINE)).toBe(false);
    expect(privateSections(POSTMORTEM_OUTLINE)).toEqual(['Internal notes (internal)']);
    expect(hasContent('  \n\n')).toBe(false);
  });

  it('counts a section as written once any line under it has text', () => {
    const draft = '## Summary\nA certificate expired.\n\n## Root cause\n\n## Action items\n- Alert 30 days ahead\n';
    expect(emptySections(draft)).toEqual(['Root cause']);
    expect(hasContent(draft)).toBe(true);
  });

  it('takes text without headings as content, and closing hashes as part of the heading syntax', () => {
    expect(hasContent('We restarted the database.')).toBe(true);
    expect(emptySections('We restarted the database.')).toEqual([]);
    expect(emptySections('## Summary ##\n\n## Impact\nCheckout failed for 40 minutes.')).toEqual(['Summary']);
  });
});

describe('private sections of a postmortem', () => {
  const draft = [
    '## Summary',
    'A certificate expired.',
    '',
    '## Timeline (internal)',
    '- 09:12 paged Alice',
    '',
    '### Chat log',
    'SECRET-1',
    '',
    '## Root cause',
    'Renewal failed silently.',
    '',
    '## Notes (Internal)',
    'SECRET-2',
    '',
  ].join('\n');

  it('leaves out each section whose heading ends with "(internal)", in any case, up to the next heading of its level', () => {
    const shown = publicPostmortem(draft);
    expect(shown).toBe('## Summary\nA certificate expired.\n\n## Root cause\nRenewal failed silently.\n');
    expect(privateSections(draft)).toEqual(['Timeline (internal)', 'Notes (Internal)']);
  });

  it('ends a private section at a heading of a higher level, and keeps a lower one inside it', () => {
    const text = '# Review\n## Who (internal)\nSECRET\n### Detail\nSECRET too\n# Lessons\nPublic.\n';
    expect(publicPostmortem(text)).toBe('# Review\n\n# Lessons\nPublic.\n');
  });

  it('leaves a postmortem without private sections exactly as written', () => {
    const text = '## Summary\r\nAll good.\r\n';
    expect(publicPostmortem(text)).toBe(text);
    expect(privateSections(text)).toEqual([]);
  });

  it('reads headings as the renderer does: setext and closing hashes count, a code block does not', () => {
    const text = [
      'Public intro.',
      '',
      'Names (internal)',
      '----------------',
      'SECRET-setext',
      '',
      '## Chat _(internal)_ ##',
      'SECRET-emphasis',
      '',
      '## Commands',
      '```',
      '## not a heading (internal)',
      'kubectl rollout restart',
      '```',
    ].join('\n');
    const shown = publicPostmortem(text);
    expect(shown).not.toContain('SECRET');
    expect(shown).toContain('Public intro.');
    expect(shown).toContain('## not a heading (internal)\nkubectl rollout restart');
    expect(privateSections(text)).toEqual(['Names (internal)', 'Chat _(internal)_']);
  });

  it('keeps a Windows line-ended text apart the same way', () => {
    expect(publicPostmortem('## A\r\nOne\r\n## B (internal)\r\nSECRET\r\n')).toBe('## A\nOne\n');
  });

  it('leaves nothing public of a text that is all private, so it has no content to publish', () => {
    const text = '## Summary\n\n## Internal notes (internal)\nOnly for us.\n';
    expect(hasContent(text)).toBe(true);
    expect(hasContent(publicPostmortem(text))).toBe(false);
    expect(publicPostmortem('## Only (internal)\nSECRET\n')).toBe('');
  });
});
