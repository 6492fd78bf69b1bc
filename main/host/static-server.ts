/**
 * The host-mode HTTP server: serves the built renderer bundle from one folder, injects the
 * WebSocket bridge script into index.html, and refuses requests whose Host header is not
 * our loopback address (DNS rebinding). Strict security headers on every response.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
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
  '.map': 'application/json',
};

/** The fixed content type for a bundle file (by extension); never sniffed. */
export function contentTypeFor(file: string): string {
  return TYPES[extname(file)] ?? 'application/octet-stream';
}

/** The Content-Security-Policy header for host mode. */
export function hostCsp(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Insert the bridge script before the first script tag of index.html. */
export function injectBridge(html: string, bridgeSrc = './host-bridge.js'): string {
  const tag = `<script src="${bridgeSrc}"></script>`;
  const at = html.indexOf('<script');
  return at === -1
    ? html.replace('</head>', `${tag}</head>`)
    : html.slice(0, at) + tag + html.slice(at);
}

/** Resolve a URL path inside root, or null if it escapes or is malformed. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = normalize(join(root, rel));
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

/** Options for the static server. */
export interface StaticServerOptions {
  rendererDir: string;
  allowedHosts: () => string[];
  port: () => number;
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
  csp?: string,
) {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    ...(csp ? { 'Content-Security-Policy': csp } : {}),
  });
  res.end(body);
}

/** Create (not yet listening) the host-mode HTTP server. */
export function createStaticServer(opts: StaticServerOptions): Server {
  return createServer(async (req, res) => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!opts.allowedHosts().includes(host)) return send(res, 403, 'Forbidden host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'Method not allowed\n');
    const file = resolveStatic(opts.rendererDir, req.url ?? '/');
    if (!file) return send(res, 400, 'Bad path\n');
    try {
      let body: string | Buffer = await readFile(file);
      const type = contentTypeFor(file);
      if (file.endsWith('index.html')) body = injectBridge(body.toString('utf8'));
      send(res, 200, req.method === 'HEAD' ? '' : body, type, hostCsp(opts.port()));
    } catch {
      send(res, 404, 'Not found\n');
    }
  });
}
