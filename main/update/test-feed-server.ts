/**
 * Test-only HTTPS (TLS 1.3) static server for a publisher's site/ folder, with per-path
 * overrides so tests can play the attacker (tampered files, replayed metadata, endless
 * bodies).
 */
import { createServer, type Server } from 'node:https';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Replace the answer for one URL path (e.g. `/metadata/timestamp.json`). */
export type Override = (req: IncomingMessage, res: ServerResponse) => void;

/** A running test feed server. */
export interface TestFeedServer {
  url: string;
  port: number;
  overrides: Map<string, Override>;
  /** Paths requested, in order. */
  log: string[];
  close(): Promise<void>;
}

/** Serve `root` on https://127.0.0.1:<port>. */
export async function startTestFeedServer(
  root: string,
  tls: { key: string; cert: string },
): Promise<TestFeedServer> {
  const overrides = new Map<string, Override>();
  const log: string[] = [];
  const server: Server = createServer(
    { key: tls.key, cert: tls.cert, minVersion: 'TLSv1.3' },
    (req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'https://x').pathname);
      log.push(path);
      const o = overrides.get(path);
      if (o) return o(req, res);
      const file = normalize(join(root, path));
      if (!file.startsWith(root)) {
        res.writeHead(403).end();
        return;
      }
      readFile(file).then(
        (body) =>
          res
            .writeHead(200, {
              'content-type': 'application/octet-stream',
              'content-length': body.length,
            })
            .end(body),
        () => res.writeHead(404).end(),
      );
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    overrides,
    log,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** An override that serves fixed bytes. */
export function serveBytes(body: Buffer): Override {
  return (_req, res) => res.writeHead(200, { 'content-length': body.length }).end(body);
}

/** An override that streams zeros forever (endless data). */
export function serveEndless(): Override {
  return (req, res) => {
    res.writeHead(200);
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const timer = setInterval(() => {
      if (!res.write(chunk)) return;
    }, 1);
    req.socket.on('close', () => clearInterval(timer));
    res.on('close', () => clearInterval(timer));
  };
}
