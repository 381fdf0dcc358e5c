import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { check, getFileInfo, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';

// The formatter owns formatting: every source file the repository tracks is as prettier writes it.
const SOURCES = /\.(ts|mts|mjs|js|astro|css|json)$/;

describe('formatting', () => {
  it('leaves every tracked source file as prettier would write it', { timeout: 60_000 }, async () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
      .split('\n')
      .filter((file) => SOURCES.test(file));
    const unformatted: string[] = [];
    for (const file of files) {
      const info = await getFileInfo(file, { ignorePath: '.prettierignore', resolveConfig: true });
      if (info.ignored || !info.inferredParser) continue;
      const options = await resolveConfig(file);
      let source: string;
      try {
        source = readFileSync(file, 'utf8');
      } catch {
        continue; // deleted in the working tree, not yet in the index
      }
      if (!(await check(source, { ...options, filepath: file }))) unformatted.push(file);
    }
    expect(unformatted, 'run `npm run format`').toEqual([]);
  });
});
