/**
 * Test-only HTTPS file server for the downloader tests: TLS 1.3 on 127.0.0.1 with the
 * per-run PKI, correct Range / If-Range handling by default, and per-request faults
 * (drops, wrong Content-Range, ignored ranges, endless bodies, throttling).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TestPki } from '../test-support/pki';

/** The resource the server currently serves. */
export interface ServedResource {
  body: Buffer;
  etag: string | null;
  lastModified: string | null;
}

/** A fault to inject into one response. */
export interface Fault {
  /** Send this many body bytes, then destroy the socket. */
  dropAfter?: number;
  /** Replace the Content-Range header of a 206. */
  contentRange?: string;
  /** Answer 200 with the whole body even when a range was asked for. */
  ignoreRange?: boolean;
  /** Answer with this status and an empty body. */
  status?: number;
  /** No Content-Length; stream this many bytes (repeating the body) with chunked encoding. */
  chunkedBytes?: number;
  /** Send the body in slices of this many bytes with `delayMs` between them. */
  sliceBytes?: number;
  delayMs?: number;
  /** Override the announced Content-Length. */
  contentLength?: number;
}

/** One request as the server saw it. */
export interface LoggedRequest {
  range: string | null;
  ifRange: string | null;
  status: number;
  bodyBytes: number;
}

/** Decide a fault for the n-th request (0-based); undefined = serve correctly. */
export type FaultPlan = (index: number, req: IncomingMessage) => Fault | undefined;

/** A running test server. */
export interface FileServer {
  url: string;
  resource: ServedResource;
  requests: LoggedRequest[];
  /** Whether the server honours Range at all. */
  ranges: boolean;
  plan: FaultPlan;
  /** Bytes of body sent in total. */
  bytesSent(): number;
  close(): Promise<void>;
}

function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null {
  const m = header ? /^bytes=(\d+)-(\d*)$/.exec(header) : null;
  if (!m) return null;
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start <= end && start < size ? { start, end } : null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sendSlices(
  res: ServerResponse,
  data: Buffer,
  fault: Fault,
  log: LoggedRequest,
): Promise<void> {
  const slice = fault.sliceBytes ?? 256 * 1024;
  const limit = fault.dropAfter ?? Infinity;
  for (let off = 0; off < data.length; off += slice) {
    if (res.destroyed) return;
    let piece = data.subarray(off, Math.min(off + slice, data.length));
    if (log.bodyBytes + piece.length > limit) piece = piece.subarray(0, limit - log.bodyBytes);
    if (piece.length > 0) {
      log.bodyBytes += piece.length;
      const ok = res.write(piece);
      if (!ok) await new Promise((r) => res.once('drain', r));
    }
    if (log.bodyBytes >= limit) {
      // Give the bytes a moment to leave, then cut the connection mid-body.
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    if (fault.delayMs) await sleep(fault.delayMs);
  }
  res.end();
}

/** Start a TLS 1.3 file server on 127.0.0.1 serving `body`. */
export async function startFileServer(
  pki: TestPki,
  body: Buffer,
  options: { etag?: string | null; lastModified?: string | null; ranges?: boolean } = {},
): Promise<FileServer> {
  const sockets = new Set<Socket>();
  const state: FileServer = {
    url: '',
    resource: {
      body,
      etag: options.etag === undefined ? '"v1"' : options.etag,
      lastModified:
        options.lastModified === undefined ? 'Mon, 01 Jan 2024 00:00:00 GMT' : options.lastModified,
    },
    requests: [],
    ranges: options.ranges ?? true,
    plan: () => undefined,
    bytesSent: () => state.requests.reduce((sum, r) => sum + r.bodyBytes, 0),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const index = state.requests.length;
    const fault = state.plan(index, req) ?? {};
    const { body: data, etag, lastModified } = state.resource;
    const log: LoggedRequest = {
      range: req.headers.range ?? null,
      ifRange: (req.headers['if-range'] as string | undefined) ?? null,
      status: 200,
      bodyBytes: 0,
    };
    state.requests.push(log);
    if (etag) res.setHeader('etag', etag);
    if (lastModified) res.setHeader('last-modified', lastModified);
    if (fault.status) {
      log.status = fault.status;
      res.writeHead(fault.status, { 'content-length': '0' });
      res.end();
      return;
    }
    if (fault.chunkedBytes !== undefined) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let left = fault.chunkedBytes;
      while (left > 0 && !res.destroyed) {
        const piece = data.subarray(0, Math.min(left, data.length));
        left -= piece.length;
        log.bodyBytes += piece.length;
        if (!res.write(piece)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
      return;
    }
    let range =
      state.ranges && !fault.ignoreRange ? parseRange(req.headers.range, data.length) : null;
    const ifRange = req.headers['if-range'];
    if (range && ifRange !== undefined && ifRange !== etag && ifRange !== lastModified)
      range = null;
    if (range) {
      log.status = 206;
      const slice = data.subarray(range.start, range.end + 1);
      res.writeHead(206, {
        'content-range': fault.contentRange ?? `bytes ${range.start}-${range.end}/${data.length}`,
        'content-length': String(fault.contentLength ?? slice.length),
        'accept-ranges': 'bytes',
      });
      await sendSlices(res, slice, fault, log);
      return;
    }
    log.status = 200;
    res.writeHead(200, {
      'content-length': String(fault.contentLength ?? data.length),
      ...(state.ranges ? { 'accept-ranges': 'bytes' } : {}),
    });
    await sendSlices(res, data, fault, log);
  };
  const server: Server = createServer(
    { key: pki.leaf.key, cert: pki.chainPem, minVersion: 'TLSv1.3' },
    (req, res) => {
      handle(req, res).catch(() => res.destroy());
    },
  );
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/file.bin`;
  return state;
}
