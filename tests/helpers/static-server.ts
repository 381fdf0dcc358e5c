import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * A plain static file server with nginx's `try_files $uri $uri.html $uri/index.html =404` and
 * 404.html: what docs/static-export.md tells people to configure.
 */
export async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const base = normalize(join(root, path));
    if (!base.startsWith(root)) {
      res.writeHead(400).end();
      return;
    }
    const candidates = [base, `${base}.html`, join(base, 'index.html')];
    const file = candidates.find((f) => existsSync(f) && statSync(f).isFile());
    const status = file ? 200 : 404;
    const chosen = file ?? join(root, '404.html');
    res.writeHead(status, { 'content-type': TYPES[extname(chosen)] ?? 'application/octet-stream' });
    res.end(readFileSync(chosen));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
