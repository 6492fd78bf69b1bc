/**
 * A real HTTPS test server on 127.0.0.1 that staples an OCSP response through Node's
 * 'OCSPRequest' event, and a tiny HTTP OCSP responder for AIA fallback tests. Test-only.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A running stapling server. */
export interface StaplingServer {
  port: number;
  url: string;
  /** Change what is stapled on the next handshake (null = no staple). */
  setStaple(staple: Buffer | null): void;
  /** Handshakes whose client asked for a staple. */
  staplesRequested(): number;
  close(): Promise<void>;
}

/** Start an HTTPS server that answers 200 "ok" and staples `staple` when asked. */
export async function startStaplingServer(
  tls: ServerOptions,
  staple: Buffer | null,
): Promise<StaplingServer> {
  let current = staple;
  let requested = 0;
  const server: Server = createServer({ ...tls }, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  server.on(
    'OCSPRequest',
    (_cert: Buffer, _issuer: Buffer, cb: (e: Error | null, r?: Buffer) => void) => {
      requested++;
      // An undefined response means "no staple"; Buffer sends it in the handshake.
      cb(null, current ?? undefined);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://localhost:${port}/`,
    setStaple: (s) => {
      current = s;
    },
    staplesRequested: () => requested,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A running plain-HTTP OCSP responder. */
export interface OcspResponderServer {
  port: number;
  /** Base URL to put into the AIA extension. */
  url: string;
  /** Request paths seen (GET requests carry the base64 OCSPRequest). */
  requests: string[];
  setResponse(response: Buffer): void;
  close(): Promise<void>;
}

/** Start an HTTP responder that answers every request with `response` (RFC 6960 A.1). */
export async function startOcspResponder(response: Buffer): Promise<OcspResponderServer> {
  let current = response;
  const requests: string[] = [];
  const server: HttpServer = createHttpServer((req, res) => {
    requests.push(req.url ?? '');
    req.resume();
    res.writeHead(200, { 'content-type': 'application/ocsp-response' });
    res.end(current);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/ocsp`,
    requests,
    setResponse: (r) => {
      current = r;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
