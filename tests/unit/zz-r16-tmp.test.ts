import { test, expect } from 'vitest';
import { join } from 'node:path';
import { matchPublicRoute } from '/work/main/src/publishing/public-routes.ts';
import { exportFileFor, internalLinks } from '/work/main/src/publishing/export-paths.ts';
import { renderMarkdown } from '/work/main/src/render/markdown.ts';
test('x', () => {
  const html = renderMarkdown('[h](/de/../../../history) [f](/de/../../feed.atom) [n](/de/nope)');
  console.log(html);
  for (const l of internalLinks(html)) console.log(l, JSON.stringify(matchPublicRoute(l)), new URL(l, 'http://x').pathname, join('/tmp/out', exportFileFor(l)));
  for (const p of ['/DE/', '/pt-BR/history', '/de', '/de//', '/en/', '/de/api/v2/summary.json', '/de/custom.css', '/de/subscribe', '/de/metrics', '/de/admin'])
    console.log(p, JSON.stringify(matchPublicRoute(p)));
});
