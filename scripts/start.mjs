// `npm start`: build the server if the sources are newer than the last build, then serve it.
// Runs on the Node 24 that the `node` dependency puts first on npm's PATH.
//
// The HTTP server is ours rather than @astrojs/node's standalone one, so that public pages
// already in Herald's site cache are answered before Astro's adapter turns the request into
// a Web Request (src/site/node-fast-path.ts); everything else goes to the adapter's handler.
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, ROOT, SERVER_ENTRY } from './ensure-build.mjs';

ensureBuild();
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = await import(pathToFileURL(SERVER_ENTRY).href);
const fastPath = globalThis[Symbol.for('herald.fastPath')];

// Files under dist/client (favicon, service worker, scripts) are the adapter's to serve.
const clientDir = join(ROOT, 'dist/client');
const staticFiles = new Set(
  readdirSync(clientDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/${relative(clientDir, join(entry.parentPath, entry.name)).split('\\').join('/')}`),
);

const host = process.env.HOST || 'localhost';
const port = Number(process.env.PORT || 4321);
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (!staticFiles.has(path) && fastPath?.(req, res)) return;
  handler(req, res);
});
server.keepAliveTimeout = 65_000;
server.on('error', (error) => {
  console.error(`[herald] cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, host, () => {
  const address = server.address();
  const shown = typeof address === 'object' && address ? address.port : port;
  console.log(`[herald] Server listening on http://${host.includes(':') ? `[${host}]` : host}:${shown}`);
});
