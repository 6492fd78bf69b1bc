/**
 * Fault-injection HTTPS server for the verification matrix (issue 10). One TLS 1.3 listener
 * on 127.0.0.1 serves one resource; the path `/s/<scenario>/<file>` picks how each request
 * misbehaves (drops, stalls, lies about lengths and ranges, rate limits, hostile redirects).
 * "Once" scenarios keep their state per `<scenario>/<file>`, so a fresh file name gives a
 * fresh run. TLS and certificate scenarios are separate listeners that serve the resource
 * correctly at any path but present a bad handshake (old TLS, expired / untrusted /
 * wrong-host / MITM / mixed-chain certificates, a revoked OCSP staple, mTLS required).
 * Test-only; never bundled.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createOcspFixtures } from './ocsp-fixtures';
import type { CertKey, TestPki } from './pki';

/** Per-request behaviours of the main listener, selected by `/s/<scenario>/<file>`. */
export const BODY_SCENARIOS = [
  'ok',
  'corrupt',
  'drop-once',
  'stall-once',
  'stall-always',
  'slow-drip',
  'short-body',
  'long-body',
  'endless',
  'ignore-range',
  'etag-change',
  'wrong-content-range',
  'retry-after-429',
  'retry-after-503',
  'redirect-ok',
  'redirect-loop',
  'redirect-http',
  'redirect-unpinned',
] as const;

/** A scenario of the main listener. */
export type BodyScenario = (typeof BODY_SCENARIOS)[number];

/** Handshake-level scenarios, each its own listener. */
export const TLS_SCENARIOS = [
  'tls12-only',
  'expired',
  'untrusted',
  'wrong-host',
  'mitm-key',
  'mixed-chain',
  'revoked-staple',
  'mtls-required',
] as const;

/** A TLS scenario. */
export type TlsScenario = (typeof TLS_SCENARIOS)[number];

/** Tunables (all have small defaults fit for a loaded 2-core box). */
export interface FaultServerOptions {
  pki: TestPki;
  body: Buffer;
  /** Bytes sent before `drop-once` cuts the connection (default 64 KiB). */
  dropAfter?: number;
  /** Bytes sent before `stall-once` stops sending (default 32 KiB). */
  stallAfter?: number;
  /** `slow-drip` slice size and pause (default 16 KiB every 25 ms). */
  dripBytes?: number;
  dripDelayMs?: number;
  /** Bytes `short-body` withholds from every response (default 1 KiB). */
  shortBy?: number;
  /** Garbage bytes `long-body` writes after a correct body (default 64 KiB). */
  longBy?: number;
  /** Seconds in the Retry-After of `retry-after-*` (default 1). */
  retryAfterSeconds?: number;
  /** Which TLS listeners to start (default all). */
  tls?: readonly TlsScenario[];
}

/** One request as the server saw it. */
export interface FaultRequest {
  scenario: string;
  /** `<scenario>/<file>`. */
  key: string;
  listener: 'main' | TlsScenario;
  range: string | null;
  ifRange: string | null;
  status: number;
  /** Body bytes written (including garbage past the body). */
  bytes: number;
}

/** A running fault server. */
export interface FaultServer {
  /** `https://127.0.0.1:<port>` of the main listener. */
  origin: string;
  port: number;
  /** The served resource and its sha256 (hex). */
  body: Buffer;
  sha256: string;
  /** URL of `file` under `scenario` on the main listener. */
  urlFor(scenario: BodyScenario, file: string): string;
  /** URL of `file` on a TLS scenario's listener (served correctly once connected). */
  tlsUrl(scenario: TlsScenario, file: string): string;
  /** The genuine server key's pin (what a client pins for this service). */
  genuinePin: string;
  /** Every request, in order. */
  log: FaultRequest[];
  /** Requests of one `<scenario>/<file>` key. */
  requestsFor(scenario: string, file: string): FaultRequest[];
  close(): Promise<void>;
}

const ETAG = '"v1"';
const LAST_MODIFIED = 'Mon, 01 Jan 2024 00:00:00 GMT';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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

/** Write `data` in slices, honouring back-pressure; stops quietly when the peer goes away. */
async function writeSlices(
  res: ServerResponse,
  data: Buffer,
  log: FaultRequest,
  slice: number,
  delayMs: number,
): Promise<void> {
  for (let off = 0; off < data.length; off += slice) {
    if (res.destroyed) return;
    const piece = data.subarray(off, Math.min(off + slice, data.length));
    log.bytes += piece.length;
    if (!res.write(piece)) await new Promise((r) => res.once('drain', r));
    if (delayMs > 0) await sleep(delayMs);
  }
}

/** Start the main listener and the TLS scenario listeners. */
export async function startFaultServer(options: FaultServerOptions): Promise<FaultServer> {
  const { pki, body } = options;
  const dropAfter = options.dropAfter ?? 64 * 1024;
  const stallAfter = options.stallAfter ?? 32 * 1024;
  const dripBytes = options.dripBytes ?? 16 * 1024;
  const dripDelayMs = options.dripDelayMs ?? 25;
  const shortBy = options.shortBy ?? 1024;
  const longBy = options.longBy ?? 64 * 1024;
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  const corrupt = Buffer.from(body);
  corrupt[Math.floor(corrupt.length / 2)] ^= 0x5a;

  const log: FaultRequest[] = [];
  const seen = new Map<string, number>();
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let etagCounter = 0;
  let mainPort = 0;

  /** Serve the genuine resource with Range / If-Range per RFC 9110, with per-scenario twists. */
  const serve = async (
    req: IncomingMessage,
    res: ServerResponse,
    rec: FaultRequest,
    index: number,
  ): Promise<void> => {
    const s = rec.scenario as BodyScenario;
    const data = s === 'corrupt' ? corrupt : body;
    const etag = s === 'etag-change' ? `"e${++etagCounter}"` : ETAG;
    const headers: Record<string, string> = { etag, 'accept-ranges': 'bytes' };
    // The garbage after a long body poisons its connection; say so, so that the scenario
    // tests Content-Length framing rather than a keep-alive reuse race.
    if (s === 'long-body') headers.connection = 'close';
    if (s !== 'etag-change') headers['last-modified'] = LAST_MODIFIED;
    let range = s === 'ignore-range' ? null : parseRange(req.headers.range, data.length);
    const ifRange = req.headers['if-range'];
    if (range && ifRange !== undefined && ifRange !== etag && ifRange !== LAST_MODIFIED)
      range = null;
    const slice = range ? data.subarray(range.start, range.end + 1) : data;
    if (range) {
      rec.status = 206;
      const cr =
        s === 'wrong-content-range'
          ? `bytes ${range.start + 1}-${range.end + 1}/${data.length + 1}`
          : `bytes ${range.start}-${range.end}/${data.length}`;
      res.writeHead(206, {
        ...headers,
        'content-range': cr,
        'content-length': String(slice.length),
      });
    } else {
      rec.status = 200;
      res.writeHead(200, { ...headers, 'content-length': String(slice.length) });
    }
    const first = index === 0;
    if ((s === 'drop-once' || s === 'etag-change') && first) {
      await writeSlices(res, slice.subarray(0, dropAfter), rec, 16 * 1024, 0);
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    if ((s === 'stall-once' && first) || s === 'stall-always') {
      const sent = s === 'stall-always' ? 0 : stallAfter;
      res.flushHeaders();
      await writeSlices(res, slice.subarray(0, sent), rec, 16 * 1024, 0);
      // Hold the connection open without sending; the client's idle timeout must fire.
      return;
    }
    if (s === 'short-body') {
      // Content-Length promises every byte; the connection closes 1 KiB short, every time.
      await writeSlices(
        res,
        slice.subarray(0, Math.max(0, slice.length - shortBy)),
        rec,
        64 * 1024,
        0,
      );
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    if (s === 'long-body') {
      await writeSlices(res, slice, rec, 64 * 1024, 0);
      // Bytes past Content-Length go straight onto the socket, where only the framing stops them.
      const sock = res.socket;
      res.end(() => {
        if (sock && !sock.destroyed) {
          sock.write(Buffer.alloc(longBy, 0x41));
          rec.bytes += longBy;
          const t = setTimeout(() => sock.destroy(), 50);
          timers.add(t);
        }
      });
      return;
    }
    if (s === 'slow-drip') {
      await writeSlices(res, slice, rec, dripBytes, dripDelayMs);
      res.end();
      return;
    }
    await writeSlices(res, slice, rec, 64 * 1024, 0);
    res.end();
  };

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    listener: FaultRequest['listener'],
  ): Promise<void> => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const m = /^\/s\/([a-z0-9-]+)\/([^/]+)$/.exec(path);
    const scenario = listener === 'main' ? (m?.[1] ?? 'unknown') : 'ok';
    const file = m?.[2] ?? 'file.bin';
    const key = `${listener === 'main' ? scenario : listener}/${file}`;
    const index = seen.get(key) ?? 0;
    seen.set(key, index + 1);
    const rec: FaultRequest = {
      scenario,
      key,
      listener,
      range: req.headers.range ?? null,
      ifRange: (req.headers['if-range'] as string | undefined) ?? null,
      status: 0,
      bytes: 0,
    };
    log.push(rec);
    const status = (code: number, headers: Record<string, string> = {}): void => {
      rec.status = code;
      res.writeHead(code, { 'content-length': '0', ...headers }).end();
    };
    if (listener === 'main' && !(BODY_SCENARIOS as readonly string[]).includes(scenario)) {
      status(404);
      return;
    }
    switch (scenario as BodyScenario) {
      case 'endless': {
        // No Content-Length, chunked, never ends: only the client's size cap stops it.
        rec.status = 200;
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 0x42);
        while (!res.destroyed && !req.socket.destroyed) {
          rec.bytes += chunk.length;
          if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
        }
        return;
      }
      case 'retry-after-429':
        if (index === 0) return status(429, { 'retry-after': retryAfter });
        break;
      case 'retry-after-503':
        return status(503, { 'retry-after': retryAfter });
      case 'redirect-ok':
        return status(302, { location: `/s/ok/${file}` });
      case 'redirect-loop':
        return status(302, { location: `/s/redirect-loop/${file}` });
      case 'redirect-http':
        return status(302, { location: `http://127.0.0.1:${mainPort}/s/ok/${file}` });
      case 'redirect-unpinned':
        // Same server and certificate, but another host name, which nobody pinned.
        return status(302, { location: `https://localhost:${mainPort}/s/ok/${file}` });
      default:
        break;
    }
    await serve(req, res, rec, index);
  };

  const listen = async (
    tls: ServerOptions,
    listener: FaultRequest['listener'],
    setup?: (server: Server) => void,
  ): Promise<number> => {
    const server = createServer(tls, (req, res) => {
      handle(req, res, listener).catch(() => res.destroy());
    });
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    });
    server.on('tlsClientError', () => {});
    setup?.(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    return (server.address() as AddressInfo).port;
  };

  const genuine: ServerOptions = { key: pki.leaf.key, cert: pki.chainPem, minVersion: 'TLSv1.3' };
  mainPort = await listen(genuine, 'main');

  const withChain = (leaf: CertKey, chain: string = pki.intermediate.cert): ServerOptions => ({
    key: leaf.key,
    cert: leaf.cert + chain,
  });
  const tlsPorts = new Map<TlsScenario, number>();
  for (const scenario of options.tls ?? TLS_SCENARIOS) {
    let port: number;
    switch (scenario) {
      case 'tls12-only':
        port = await listen({ ...genuine, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }, scenario);
        break;
      case 'expired':
        port = await listen(
          withChain(pki.issueLeaf('expired', { startDays: -60, days: 30 })),
          scenario,
        );
        break;
      case 'untrusted': {
        const other = pki.createCa('Untrusted');
        const leaf = pki.issueLeaf('untrusted', { issuer: other.intermediate });
        port = await listen(withChain(leaf, other.intermediate.cert), scenario);
        break;
      }
      case 'wrong-host':
        port = await listen(
          withChain(pki.issueLeaf('wrong-host', { hosts: ['other.example'] })),
          scenario,
        );
        break;
      case 'mitm-key':
        // A certificate the client's CA store accepts, but a key the client never pinned: an
        // interception proxy with a trusted (e.g. corporate or mis-issued) CA.
        port = await listen(withChain(pki.issueLeaf('mitm')), scenario);
        break;
      case 'mixed-chain': {
        // Our leaf sent with another CA's intermediate: the chain does not link up.
        const other = pki.createCa('Mixed');
        port = await listen(withChain(pki.leaf, other.intermediate.cert), scenario);
        break;
      }
      case 'revoked-staple': {
        const fx = createOcspFixtures(pki);
        const revoked = fx.respond({ cert: pki.leaf, status: 'revoked' });
        port = await listen(genuine, scenario, (server) =>
          server.on(
            'OCSPRequest',
            (_c: Buffer, _i: Buffer, cb: (e: Error | null, r?: Buffer) => void) =>
              cb(null, revoked),
          ),
        );
        break;
      }
      case 'mtls-required':
        port = await listen(
          { ...genuine, requestCert: true, rejectUnauthorized: true, ca: [pki.root.cert] },
          scenario,
        );
        break;
    }
    tlsPorts.set(scenario, port);
  }

  return {
    origin: `https://127.0.0.1:${mainPort}`,
    port: mainPort,
    body,
    sha256: createHash('sha256').update(body).digest('hex'),
    genuinePin: pki.leaf.pin,
    urlFor: (scenario, file) => `https://127.0.0.1:${mainPort}/s/${scenario}/${file}`,
    tlsUrl: (scenario, file) => {
      const port = tlsPorts.get(scenario);
      if (port === undefined) throw new Error(`TLS listener ${scenario} was not started`);
      return `https://127.0.0.1:${port}/s/ok/${file}`;
    },
    log,
    requestsFor: (scenario, file) => log.filter((r) => r.key === `${scenario}/${file}`),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
