import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// CI runs `npm test` only: the layer rules and the house rules of eslint.config.js run here too.
describe('eslint', () => {
  it(
    'finds no import that points up a layer, no query outside src/db, and no other error',
    { timeout: 120_000 },
    async () => {
      const eslint = new ESLint();
      const results = await eslint.lintFiles(['src', 'tests', 'bench', 'scripts', 'db']);
      const errors = results.flatMap((r) =>
        r.messages
          .filter((m) => m.severity === 2)
          .map((m) => `${r.filePath.replace(`${process.cwd()}/`, '')}:${m.line} ${m.message}`),
      );
      expect(errors).toEqual([]);
    },
  );
});
