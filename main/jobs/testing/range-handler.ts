/**
 * Test-only HTTPS request handler serving several files with single-range support,
 * strong ETags, If-Range, and an optional per-response rate limit, counting the body
 * bytes it sends (for re-download accounting). Never bundled into the app.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Options of {@link createRangeHandler}. */
export interface RangeHandlerOptions {
  /** Path (e.g. `/a.bin`) → content. */
  files: Map<string, Buffer>;
  /** Per-response rate limit in bytes per second (0 = unlimited). */
  bytesPerSecond?: number;
}

/** A handler plus counters. */
export interface RangeHandler {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Body bytes written to sockets so far. */
  bytesSent(): number;
  /** Requests served so far. */
  requests(): number;
}

const SLICE = 16 * 1024;

/** Create the handler. */
export function createRangeHandler(opts: RangeHandlerOptions): RangeHandler {
  let sent = 0;
  let requests = 0;
  const etags = new Map<string, string>();
  for (const [path, body] of opts.files) {
    etags.set(path, `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`);
  }
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    requests++;
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const body = opts.files.get(path);
    if (!body) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const etag = etags.get(path)!;
    res.setHeader('etag', etag);
    res.setHeader('accept-ranges', 'bytes');
    let start = 0;
    let end = body.length - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    if (range && (!ifRange || ifRange === etag)) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
      if (start >= body.length || start > end) {
        res.statusCode = 416;
        res.setHeader('content-range', `bytes */${body.length}`);
        res.end();
        return;
      }
      status = 206;
      res.setHeader('content-range', `bytes ${start}-${end}/${body.length}`);
    }
    res.statusCode = status;
    res.setHeader('content-length', end - start + 1);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const rate = opts.bytesPerSecond ?? 0;
    let offset = start;
    let closed = false;
    res.on('close', () => (closed = true));
    const began = Date.now();
    const pump = (): void => {
      while (!closed && offset <= end) {
        if (rate > 0) {
          const allowed = began + ((offset - start + SLICE) / rate) * 1000 - Date.now();
          if (allowed > 0) {
            setTimeout(pump, Math.min(allowed, 50));
            return;
          }
        }
        const piece = body.subarray(offset, Math.min(offset + SLICE, end + 1));
        offset += piece.length;
        sent += piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!closed) res.end();
    };
    pump();
  };
  return { handler, bytesSent: () => sent, requests: () => requests };
}
