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
  vite: {
    ssr: { external: ['better-sqlite3'] },
  },
});
