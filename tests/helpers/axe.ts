import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type AxeViolation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> };

/** axe-core's serious and critical WCAG 2.2 A/AA violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated rather than added as an inline <script>, which the pages' Content-Security-Policy refuses.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = Reflect.get(window, 'axe') as {
      run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }>;
    };
    return (
      await axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      })
    ).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
