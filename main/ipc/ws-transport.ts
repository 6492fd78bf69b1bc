/**
 * The loopback WebSocket transport for host mode. It is only a transport: it authenticates
 * the peer, looks handlers up in the table and forwards core events.
 *
 * Threats it stops (see docs/threat-model.md):
 * - another local user or process without the token: the token is required, compared in
 *   constant time, and only ever printed to the owner's terminal;
 * - a hostile web page in the user's browser (cross-site WebSocket hijacking): the Origin
 *   must be our own origin exactly;
 * - DNS rebinding (evil.example resolving to 127.0.0.1): the Host header must be our
 *   loopback address and port, so a rebound name is refused even with a matching origin.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { timingSafeEqual, createHash } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventHub } from '../core/services';
import { lookupHandler, type HandlerTable } from './handler-table';
import type { Logger } from '../util/logger';

/** The path the bridge connects to. */
export const WS_PATH = '/ipc';

/** Options for the WebSocket transport. */
export interface WsTransportOptions {
  server: Server;
  table: HandlerTable;
  events: EventHub;
  token: string;
  /** Host header values we accept, e.g. `127.0.0.1:5173`. */
  allowedHosts: () => string[];
  /** Origins we accept, e.g. `http://127.0.0.1:5173`. */
  allowedOrigins: () => string[];
  log: Logger;
  maxPayloadBytes?: number;
}

/** Constant-time string comparison (hash first so lengths never leak). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Decide whether an upgrade request may open the IPC socket; returns an HTTP status or 0 to allow. */
export function checkUpgrade(
  req: Pick<IncomingMessage, 'headers' | 'url'>,
  opts: Pick<WsTransportOptions, 'token' | 'allowedHosts' | 'allowedOrigins'>,
): { status: 0 | 400 | 401 | 403 | 404; reason: string } {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  if (url.pathname !== WS_PATH) return { status: 404, reason: 'unknown path' };
  const host = (req.headers.host ?? '').toLowerCase();
  if (!opts.allowedHosts().includes(host))
    return { status: 403, reason: `host ${host || '(none)'} not allowed` };
  const origin = req.headers.origin;
  if (!origin || !opts.allowedOrigins().includes(origin))
    return { status: 403, reason: `origin ${origin ?? '(none)'} not allowed` };
  const token = url.searchParams.get('token') ?? '';
  if (!token || !safeEqual(token, opts.token))
    return { status: 401, reason: 'missing or wrong token' };
  return { status: 0, reason: 'ok' };
}

function reject(socket: Duplex, status: number, reason: string): void {
  const text =
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ??
    'Error';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`,
  );
}

/** Attach the transport to an HTTP server; returns a closer. */
export function attachWsTransport(opts: WsTransportOptions): {
  close(): void;
  clientCount(): number;
} {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPayloadBytes ?? 1024 * 1024,
  });
  const clients = new Set<WebSocket>();

  opts.server.on('upgrade', (req, socket, head) => {
    const verdict = checkUpgrade(req, opts);
    if (verdict.status !== 0) {
      opts.log.warn(`ws: refused upgrade from ${req.socket.remoteAddress}: ${verdict.reason}`);
      reject(socket, verdict.status, verdict.reason);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
      const sender = { trusted: true, origin: `ws ${req.headers.origin}` };
      ws.on('message', (data, isBinary) => {
        if (isBinary) return void ws.close(1003, 'text only');
        let msg: { t?: unknown; id?: unknown; channel?: unknown; args?: unknown };
        try {
          msg = JSON.parse(data.toString());
        } catch {
          return void ws.close(1007, 'invalid JSON');
        }
        if (msg?.t !== 'invoke' || typeof msg.id !== 'number')
          return void ws.close(1008, 'bad frame');
        const id = msg.id;
        const handler = lookupHandler(opts.table, msg.channel);
        const reply = (envelope: unknown) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'result', id, envelope }));
        };
        if (!handler) {
          reply({
            ok: false,
            error: {
              code: 'ERR_INVALID_ARGUMENT',
              message: `Unknown channel ${String(msg.channel).slice(0, 64)}`,
              retryable: false,
            },
          });
          return;
        }
        handler(msg.args, sender).then(reply, (err) => {
          opts.log.error('ws: handler threw', err);
          reply({
            ok: false,
            error: { code: 'ERR_INTERNAL', message: 'Internal error', retryable: false },
          });
        });
      });
    });
  });

  const unsubscribe = opts.events.subscribe((event, payload) => {
    if (clients.size === 0) return;
    const frame = JSON.stringify({ t: 'event', event, payload });
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  return {
    clientCount: () => clients.size,
    close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      wss.close();
    },
  };
}
