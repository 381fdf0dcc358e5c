// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  server: { port: 4321, host: 'localhost' },
  // Herald's pages take POSTs from plain HTML forms; the Origin check lives in src/auth/csrf.ts
  // so it can cover the Hono API and the Astro pages with one rule.
  security: { checkOrigin: false },
  // Herald keeps its own sessions (Lucia, in SQLite); Astro's would only add a second cookie store.
  session: false,
  // The Content-Security-Policy (src/http/security-headers.ts) refuses inline scripts and styles:
  // a component's <style> or processed <script> must become a file, however small.
  build: { inlineStylesheets: 'never' },
  vite: {
    ssr: { external: ['better-sqlite3'] },
    build: { assetsInlineLimit: 0 },
  },
});
