import { describe, expect, it } from 'vitest';
import { emptySections, hasContent, POSTMORTEM_OUTLINE } from '../../../src/domain/postmortem.ts';

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
    ]);
    expect(hasContent(POSTMORTEM_OUTLINE)).toBe(false);
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
