import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The UI runs only what this runtime serves, talks only to it and to the other nodes of its
 * projects (to follow the Server), and may not be framed.
 */
export function contentSecurityPolicy(peerUrls: readonly string[]): string {
  const peers = peerUrls.flatMap((url) => {
    const origin = new URL(url);
    return [origin.origin, `${origin.protocol === 'https:' ? 'wss' : 'ws'}://${origin.host}`];
  });
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...peers].join(' '),
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * Serves the built operator UI. Paths that are not files get index.html (the UI routes itself);
 * paths that try to leave the UI folder get 404.
 */
export function serveStatic(uiDir: string, urlPath: string, res: ServerResponse, csp: string): void {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  const candidate = join(uiDir, relative);
  if (!candidate.startsWith(uiDir + sep) && candidate !== uiDir) {
    res.writeHead(404).end();
    return;
  }
  const file = existsSync(candidate) && statSync(candidate).isFile() ? candidate : join(uiDir, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The Tandem UI is not built. Run "npm run build" in the Tandem folder, then reload.\n');
    return;
  }
  const immutable = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(file).pipe(res);
}
