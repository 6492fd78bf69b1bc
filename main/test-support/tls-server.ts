/**
 * Reusable HTTPS/TLS test servers on 127.0.0.1:0 for tests that need a real TLS peer:
 * an HTTPS server that counts handshakes (fresh and resumed) and requests, and a raw TCP
 * server for misbehaving peers (never handshakes, stalls). Test-only; never bundled.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { SecureVersion, TLSSocket } from 'node:tls';

/** Options of {@link startTlsServer}. */
export interface TlsTestServerOptions {
  /** Server certificate PEM; may be a chain (leaf first). */
  cert: string;
  key: string;
  /** CA(s) for client-certificate verification. */
  ca?: string | string[];
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  /** Request handler; default answers 200 "ok". */
  handler?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Ask for a client certificate (mTLS); rejected when absent unless rejectUnauthorized is false. */
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
  /** Extra https.ServerOptions (e.g. sessionTimeout, ticketKeys). */
  extra?: https.ServerOptions;
}

/** A running test server. */
export interface TlsTestServer {
  /** `https://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  server: https.Server;
  /** Completed TLS handshakes ('secureConnection' events). */
  readonly handshakes: number;
  /** Of those, how many resumed a session. */
  readonly resumed: number;
  /** HTTP requests received. */
  readonly requests: number;
  /** TCP connections accepted (counts connections refused before the handshake finished). */
  readonly connections: number;
  /** Stop listening and destroy every open connection. */
  close(): Promise<void>;
}

/** Start an HTTPS server on 127.0.0.1, port 0. */
export async function startTlsServer(options: TlsTestServerOptions): Promise<TlsTestServer> {
  let handshakes = 0;
  let resumed = 0;
  let requests = 0;
  let connections = 0;
  const handler =
    options.handler ??
    ((_req: IncomingMessage, res: ServerResponse) => {
      res.end('ok');
    });
  const server = https.createServer(
    {
      cert: options.cert,
      key: options.key,
      ca: options.ca,
      minVersion: options.minVersion,
      maxVersion: options.maxVersion,
      requestCert: options.requestCert ?? false,
      rejectUnauthorized: options.rejectUnauthorized ?? options.requestCert ?? false,
      ...options.extra,
    },
    (req, res) => {
      requests++;
      handler(req, res);
    },
  );
  server.on('secureConnection', (s: TLSSocket) => {
    handshakes++;
    if (s.isSessionReused()) resumed++;
  });
  server.on('tlsClientError', () => {});
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    server,
    get handshakes() {
      return handshakes;
    },
    get resumed() {
      return resumed;
    },
    get requests() {
      return requests;
    },
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Alias of {@link startTlsServer} (the name other helpers were told about). */
export const start = startTlsServer;

/** A raw TCP server for peers that misbehave below HTTP (never handshake, hang, reset). */
export interface RawTestServer {
  url: string;
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Start a TCP server on 127.0.0.1:0 whose connections go to `onConnection`. */
export async function startRawServer(
  onConnection: (socket: net.Socket) => void,
): Promise<RawTestServer> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
