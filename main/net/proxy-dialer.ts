/**
 * A Dialer that opens an HTTP CONNECT tunnel through an http:// or https:// proxy with
 * https-proxy-agent (no hand-written CONNECT). It returns the raw tunnel; the secure client
 * then runs its own TLS over it, so the origin's TLS version, chain, hostname and pin checks
 * all apply inside the tunnel exactly as on a direct connection.
 *
 * https-proxy-agent answers a non-200 CONNECT by handing back a fake socket that replays the
 * proxy's response as if it came from the origin. We never let that through: any status but
 * 200 becomes ERR_PROXY_AUTH (407) or ERR_PROXY, before a byte reaches HTTP.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ClientRequest } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { ConnectionTarget, Dialer } from './extensions';
import { ProxyAuthError, ProxyError } from './proxy-errors';

/** TLS options for reaching an https:// proxy itself (its own trust, not the origin's). */
export interface ProxyTlsOptions {
  ca?: string[];
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
}

const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** A stable id for a proxy URL that does not reveal its credentials. */
export function proxyId(proxy: URL): string {
  return 'proxy:' + createHash('sha256').update(proxy.href).digest('hex').slice(0, 16);
}

/** Create the Dialer for `target` through `proxy`. */
export function createProxyDialer(
  proxy: URL,
  target: ConnectionTarget,
  tls: ProxyTlsOptions = {},
): Dialer {
  return {
    id: proxyId(proxy),
    viaProxy: true,
    dial: (signal) => dialThrough(proxy, target, tls, signal),
  };
}

async function dialThrough(
  proxy: URL,
  target: ConnectionTarget,
  tls: ProxyTlsOptions,
  signal: AbortSignal,
): Promise<Duplex> {
  const agent = new HttpsProxyAgent(proxy.href, {
    ...(proxy.protocol === 'https:' ? { ca: tls.ca, minVersion: tls.minVersion ?? 'TLSv1.2' } : {}),
    keepAlive: false,
  });
  // https-proxy-agent reports the CONNECT response on the request object it is given.
  const fakeReq = new EventEmitter();
  let status = 0;
  fakeReq.once('proxyConnect', (res: { statusCode: number }) => {
    status = res.statusCode;
  });
  let socket: Duplex;
  try {
    socket = await withAbort(
      agent.connect(
        fakeReq as unknown as ClientRequest,
        {
          host: target.host,
          port: target.port,
          secureEndpoint: false, // we want the raw tunnel; the client does the origin TLS
        } as Parameters<HttpsProxyAgent<string>['connect']>[1],
      ),
      signal,
    );
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    const code = (err as { code?: string }).code ?? '';
    throw new ProxyError(proxy, `cannot reach the proxy (${code || (err as Error).message})`, {
      retryable: RETRYABLE_CODES.has(code),
      cause: err,
    });
  }
  if (status === 407) {
    socket.destroy();
    throw new ProxyAuthError(proxy);
  }
  if (status !== 200) {
    socket.destroy();
    throw new ProxyError(
      proxy,
      `CONNECT to ${target.host}:${target.port} refused with HTTP ${status}`,
      {
        status,
        retryable: status === 502 || status === 503 || status === 504,
      },
    );
  }
  if (signal.aborted) {
    socket.destroy();
    throw signal.reason;
  }
  return socket;
}

function withAbort<T extends Duplex>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.then(
      (s) => s.destroy(),
      () => {},
    );
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      p.then(
        (s) => s.destroy(),
        () => {},
      );
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (s) => {
        signal.removeEventListener('abort', onAbort);
        resolve(s);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
