// `npm start`: build the server if the sources are newer than the last build, then serve it.
// Runs on the Node 24 that the `node` dependency puts first on npm's PATH.
//
// The HTTP server is ours rather than @astrojs/node's standalone one, so that public pages
// already in Herald's site cache are answered before Astro's adapter turns the request into
// a Web Request (src/publishing/node-fast-path.ts); everything else goes to the adapter's handler.
// It also owns the process's signals, so that a stop never cuts a request in flight.
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, ROOT, SERVER_ENTRY } from './ensure-build.mjs';
import { readDotEnvOrExit } from './env-file.mjs';

// First, so that HOST and PORT below and the server's configuration see the .env file's values.
readDotEnvOrExit();
ensureBuild();
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = await import(pathToFileURL(SERVER_ENTRY).href);
const fastPath = globalThis[Symbol.for('herald.fastPath')];
const stopRuntime = globalThis[Symbol.for('herald.stopRuntime')];
const log = globalThis[Symbol.for('herald.logger')];
const requestLog = globalThis[Symbol.for('herald.requestLog')];

// Files under dist/client (favicon, service worker, scripts) are the adapter's to serve.
const clientDir = join(ROOT, 'dist/client');
const staticFiles = new Set(
  readdirSync(clientDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/${relative(clientDir, join(entry.parentPath, entry.name)).split('\\').join('/')}`),
);

const host = process.env.HOST || 'localhost';
const port = Number(process.env.PORT || 4321);
const shutdownTimeoutMs = Number(process.env.HERALD_SHUTDOWN_TIMEOUT_MS || 10_000);
let stopping = false;
let inFlight = 0;
let drained = () => {};

const server = createServer((req, res) => {
  inFlight++;
  res.once('close', () => {
    inFlight--;
    if (stopping) {
      server.closeIdleConnections();
      if (inFlight === 0) drained();
    }
  });
  // Past a stop, answers close their connection so keep-alive clients go elsewhere.
  if (stopping) res.setHeader('connection', 'close');
  requestLog?.(req, res);
  const path = (req.url ?? '/').split('?')[0];
  if (!staticFiles.has(path) && fastPath?.(req, res)) return;
  handler(req, res);
});
server.keepAliveTimeout = 65_000;
server.on('error', (error) => {
  log.fatal(`cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, host, () => {
  const address = server.address();
  const shown = typeof address === 'object' && address ? address.port : port;
  log.info(`Server listening on http://${host.includes(':') ? `[${host}]` : host}:${shown}`);
});

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  log.info({ signal, inFlight }, `${signal}: no new connections; finishing ${inFlight} request(s) in flight`);
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  const allDone = inFlight === 0 ? Promise.resolve() : new Promise((resolve) => (drained = resolve));
  const timedOut = await Promise.race([
    allDone.then(() => false),
    new Promise((resolve) => setTimeout(resolve, shutdownTimeoutMs, true)),
  ]);
  if (timedOut) {
    log.warn({ inFlight }, `cut ${inFlight} request(s) still running after ${shutdownTimeoutMs} ms`);
    server.closeAllConnections();
  }
  await closed;
  // Then the worker finishes and records the sends under way, and the WAL is checkpointed.
  await stopRuntime?.();
  log.info('stopped cleanly');
  log.flush?.();
  process.exit(0);
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
