/**
 * A real HTTPS file server for e2e specs: TLS 1.3 with a chain from a per-run test CA
 * (main/test-support/pki.ts), byte ranges, ETags and an adjustable per-response pace so a
 * download stays in flight long enough to pause it, kill the host, or watch its speed.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createTestPki, type TestPki } from '../../main/test-support/pki';

/** A running file server. */
export interface TlsFileServer {
  pki: TestPki;
  port: number;
  /** https://127.0.0.1:<port><path> (the leaf has an IP SAN for it) */
  url(path: string): string;
  /** PEM file of the root CA the host must trust. */
  caFile: string;
  /** `sha256/` pins of the leaf, intermediate and root keys. */
  pins: { leaf: string; intermediate: string; root: string };
  /** Serve `data` at `path`; returns its hex sha256. */
  addFile(path: string, data: Buffer): string;
  /** Bytes per second per response (0 = unthrottled); applies to responses in flight. */
  setRate(bytesPerSecond: number): void;
  /** Requests seen, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** Deterministic pseudo-random bytes (fast, no entropy needed). */
export function testBytes(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

/** Start the server on 127.0.0.1, port 0, with a fresh PKI. */
export async function startTlsFileServer(): Promise<TlsFileServer> {
  const pki = createTestPki();
  const files = new Map<string, { data: Buffer; etag: string }>();
  const hits = new Map<string, number>();
  let rate = 0;
  const server: Server = createServer(
    {
      cert: pki.chainPem,
      key: pki.leaf.key,
      minVersion: 'TLSv1.3',
    },
    (req, res) => {
      const path = new URL(req.url ?? '/', 'https://x').pathname;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const file = files.get(path);
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      const size = file.data.length;
      let start = 0;
      let end = size - 1;
      let status = 200;
      const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
      const ifRange = req.headers['if-range'];
      if (range && (!ifRange || ifRange === file.etag)) {
        start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
        end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
        if (start > end || start >= size) {
          res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
          return;
        }
        status = 206;
      }
      res.writeHead(status, {
        'content-type': 'application/octet-stream',
        'content-length': String(end - start + 1),
        'accept-ranges': 'bytes',
        etag: file.etag,
        'last-modified': new Date(0).toUTCString(),
        ...(status === 206 ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      let pos = start;
      const pump = () => {
        if (res.destroyed) return;
        if (pos > end) {
          res.end();
          return;
        }
        const chunk = rate > 0 ? Math.max(1024, Math.floor(rate / 20)) : 256 * 1024;
        const next = Math.min(end + 1, pos + chunk);
        const ok = res.write(file.data.subarray(pos, next));
        pos = next;
        if (rate > 0) setTimeout(pump, 50);
        else if (ok) setImmediate(pump);
        else res.once('drain', pump);
      };
      pump();
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    pki,
    port,
    url: (path) => `https://127.0.0.1:${port}${path}`,
    caFile: pki.root.certFile,
    pins: { leaf: pki.leaf.pin, intermediate: pki.intermediate.pin, root: pki.root.pin },
    addFile(path, data) {
      const sha = createHash('sha256').update(data).digest('hex');
      files.set(path, { data, etag: `"${sha.slice(0, 16)}"` });
      return sha;
    },
    setRate(n) {
      rate = n;
    },
    hits,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      pki.cleanup();
    },
  };
}
