/**
 * Opens one verified TLS connection: dial (direct or through a plugin's Dialer), handshake
 * with the client's SecureContext, then the post-handshake pipeline — verified-chain
 * extraction and plugin checks (OCSP/CRL) — all before the socket is handed to HTTP, so no
 * request byte reaches a server that failed a check. Connect and handshake phases are timed
 * and the whole attempt is abortable.
 */
import { type X509Certificate } from 'node:crypto';
import {
  lookup as dnsLookup,
  type LookupAddress,
  type LookupOneOptions,
  type LookupAllOptions,
} from 'node:dns';
import * as net from 'node:net';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { CertificateInfo, OcspInfo } from '../../preload/contract';
import { AppError } from '../errors';
import { describeChain, spkiPin } from './cert-info';
import { normalizeDn } from './distinguished-name';
import { AbortedError, TimeoutError } from './errors';
import { ocspOff, type ConnectionTarget, type Dialer, type PostHandshakeCheck } from './extensions';
import type { ChainEntry } from './pin-check';
import type { EffectivePinPolicy } from './pin-registry';
import { mapConnectionError } from './tls-errors';
import type { TrustStore } from './trust-store';
import { verifiedChainOf } from './verified-chain';
import type { ConnectionSecurityOptions, PhaseTimeouts } from './types';

/** What the client remembers about each verified socket. */
export interface SocketState {
  chain: X509Certificate[];
  entries: ChainEntry[];
  infos: CertificateInfo[];
  ocsp: OcspInfo;
  viaProxy: boolean;
  tlsVersion: string | null;
  cipher: string | null;
  alpn: string | null;
  remoteAddress: string | null;
}

/** Everything one connection attempt needs. */
export interface ConnectParams {
  target: ConnectionTarget;
  secureContext: tls.SecureContext;
  trust: TrustStore;
  options: ConnectionSecurityOptions;
  timeouts: Pick<PhaseTimeouts, 'connect' | 'tlsHandshake'>;
  signal: AbortSignal;
  dialer: Dialer | null;
  checks: PostHandshakeCheck[];
  policy: EffectivePinPolicy | null;
  highWaterMark: number;
}

/** Turn an abort reason into our coded error. */
export function abortReasonOf(signal: AbortSignal): AppError {
  return signal.reason instanceof AppError ? signal.reason : new AbortedError();
}

/** A dns.lookup honouring a curl-style host → IP map. */
export function lookupWith(resolve: Record<string, string>) {
  return (
    hostname: string,
    opts: LookupOneOptions | LookupAllOptions,
    cb: (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void => {
    const ip = resolve[hostname.toLowerCase()];
    if (!ip) {
      dnsLookup(hostname, opts as LookupAllOptions, cb as never);
      return;
    }
    if ((opts as LookupAllOptions).all) cb(null, [{ address: ip, family: isIP(ip) }]);
    else cb(null, ip, isIP(ip));
  };
}

/** Connect, handshake and run the post-handshake pipeline. Resolves with a verified socket. */
export function connectSecure(
  p: ConnectParams,
): Promise<{ socket: tls.TLSSocket; state: SocketState }> {
  return new Promise((resolve, reject) => {
    let socket: tls.TLSSocket | null = null;
    let raw: Duplex | null = null;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    let staple: Buffer | null = null;
    const checkAbort = new AbortController();
    const url = p.target.url.origin;

    const finish = (
      err: AppError | null,
      value?: { socket: tls.TLSSocket; state: SocketState },
    ): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      p.signal.removeEventListener('abort', onAbort);
      if (err) {
        checkAbort.abort(err);
        socket?.destroy();
        raw?.destroy();
        reject(err);
      } else if (value) resolve(value);
    };
    const onAbort = (): void => finish(abortReasonOf(p.signal));
    const phase = (name: 'connect' | 'tlsHandshake', ms: number): void => {
      clearTimeout(timer);
      if (ms > 0) timer = setTimeout(() => finish(new TimeoutError(name, ms, url)), ms);
    };

    if (p.signal.aborted) return onAbort();
    p.signal.addEventListener('abort', onAbort, { once: true });
    phase('connect', p.timeouts.connect);

    const startTls = (over: Duplex): void => {
      const wantsStaple = p.checks.some((c) => c.requestOCSP);
      const opts: tls.ConnectionOptions & { highWaterMark?: number; requestOCSP?: boolean } = {
        host: p.target.host,
        port: p.target.port,
        secureContext: p.secureContext,
        // Hostname verification is Node's default checkServerIdentity; never overridden.
        rejectUnauthorized: true,
        ALPNProtocols: ['http/1.1'],
        highWaterMark: p.highWaterMark,
        requestOCSP: wantsStaple,
      };
      if (!isIP(p.target.host)) opts.servername = p.target.host;
      opts.socket = over;
      const s = tls.connect(opts);
      socket = s;
      phase('tlsHandshake', p.timeouts.tlsHandshake);
      s.on('OCSPResponse', (r: Buffer) => {
        staple = r;
      });
      s.once('error', (err) =>
        finish(mapConnectionError(err, p.target.host, p.options.minTlsVersion)),
      );
      s.once('secureConnect', () => {
        void afterHandshake(s);
      });
    };

    const afterHandshake = async (s: tls.TLSSocket): Promise<void> => {
      try {
        // Node does not reuse sessions here (we never pass `session`), but a resumed session
        // would carry no peer chain: verifiedChainOf then fails closed.
        const chain = verifiedChainOf(p.target.host, s, p.trust);
        const facts = { ocsp: ocspOff() };
        for (const check of p.checks) {
          if (done) return;
          await check.run({
            socket: s,
            chain,
            target: p.target,
            policy: p.policy,
            options: p.options,
            ocspStaple: staple,
            facts,
            signal: checkAbort.signal,
          });
        }
        const cipher = s.getCipher();
        const state: SocketState = {
          chain,
          entries: chain.map((c) => ({
            subject: normalizeDn(c.subject),
            issuer: normalizeDn(c.issuer),
            pin: spkiPin(c),
          })),
          infos: describeChain(chain),
          ocsp: facts.ocsp,
          viaProxy: p.dialer?.viaProxy ?? false,
          tlsVersion: s.getProtocol() ?? null,
          cipher: cipher?.standardName ?? cipher?.name ?? null,
          alpn: typeof s.alpnProtocol === 'string' ? s.alpnProtocol : null,
          remoteAddress: s.remoteAddress ?? null,
        };
        s.removeAllListeners('OCSPResponse');
        finish(null, { socket: s, state });
      } catch (err) {
        finish(mapConnectionError(err, p.target.host, p.options.minTlsVersion));
      }
    };

    if (p.dialer) {
      p.dialer.dial(checkAbort.signal).then(
        (stream) => {
          if (done) {
            stream.destroy();
            return;
          }
          raw = stream;
          startTls(stream);
        },
        (err) => finish(mapConnectionError(err, p.target.host, p.options.minTlsVersion)),
      );
    } else {
      // Open TCP ourselves and run TLS over it, exactly as over a dialer's tunnel: one code
      // path, and the connect phase is precisely DNS + TCP.
      const hasResolve = p.options.resolve && Object.keys(p.options.resolve).length > 0;
      const tcp = net.connect({
        host: p.target.host,
        port: p.target.port,
        noDelay: true,
        ...(hasResolve ? { lookup: lookupWith(p.options.resolve ?? {}) as never } : {}),
      });
      raw = tcp;
      tcp.once('error', (err) =>
        finish(mapConnectionError(err, p.target.host, p.options.minTlsVersion)),
      );
      tcp.once('connect', () => startTls(tcp));
    }
  });
}
