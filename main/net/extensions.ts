/**
 * Extension points of the SecureClient, used by the revocation, client-certificate, proxy
 * and throttling plugins (issue 4). See the overview comment at the top of secure-client.ts.
 */
import type { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import type { SecureContextOptions, TLSSocket } from 'node:tls';
import type { OcspInfo } from '../../preload/contract';
import type { EffectivePinPolicy } from './pin-registry';
import type { ConnectionSecurityOptions, SecureRequestInit } from './types';

/** The origin a connection is made to. */
export interface ConnectionTarget {
  /** Canonical host name (lower case, no brackets). */
  host: string;
  port: number;
  url: URL;
}

/**
 * Extra TLS material for one target (client certificates). `id` must change whenever the
 * material changes: it keys both the cached SecureContext and the connection pool.
 */
export interface TlsContribution {
  id: string;
  options: Pick<SecureContextOptions, 'cert' | 'key' | 'pfx' | 'passphrase' | 'crl' | 'sigalgs'>;
}

/**
 * A way to reach a target other than a direct TCP connection (an HTTP CONNECT proxy).
 * `dial` returns a connected raw stream; the client runs TLS over it itself, so trust,
 * hostname, pin and post-handshake checks apply unchanged through the tunnel.
 */
export interface Dialer {
  /** Pool key part: sockets through different routes are never shared. */
  id: string;
  /** Reported in ConnectionFacts.viaProxy. */
  viaProxy: boolean;
  dial(signal: AbortSignal): Promise<Duplex>;
}

/** What a post-handshake check sees (once per new connection, before any request byte is sent). */
export interface PostHandshakeContext {
  socket: TLSSocket;
  /** The verified chain, leaf first, ending at the trust anchor. */
  chain: X509Certificate[];
  target: ConnectionTarget;
  /** Pin policy of the host at connection time (pins are re-checked per request anyway). */
  policy: EffectivePinPolicy | null;
  options: ConnectionSecurityOptions;
  /** The stapled OCSP response, when some check asked for `requestOCSP`. */
  ocspStaple: Buffer | null;
  /** Set revocation facts here; they are copied into every ConnectionFacts of this socket. */
  facts: { ocsp: OcspInfo };
  /** Aborted on cancellation or when the handshake-phase timeout fires. */
  signal: AbortSignal;
}

/** A check run after the TLS handshake of each new connection; throw an AppError to refuse it. */
export interface PostHandshakeCheck {
  name: string;
  /** Ask the server for an OCSP staple (`requestOCSP: true`). */
  requestOCSP?: boolean;
  run(ctx: PostHandshakeContext): void | Promise<void>;
}

/** What a body wrapper sees. */
export interface BodyWrapContext {
  url: string;
  init: SecureRequestInit;
  options: ConnectionSecurityOptions;
  response: IncomingMessage;
}

/** A plugin contributes any of the hooks; all are optional. */
export interface SecureClientPlugin {
  name: string;
  /** Per-target TLS options (client certificate), or null. */
  tlsOptionsFor?(
    target: ConnectionTarget,
    options: ConnectionSecurityOptions,
  ): TlsContribution | null;
  /** Per-target route (proxy), or null for a direct connection. The first non-null wins. */
  dialerFor?(target: ConnectionTarget, options: ConnectionSecurityOptions): Dialer | null;
  /** Post-handshake checks (OCSP, CRL), run in plugin order after the built-in trust checks. */
  checks?: PostHandshakeCheck[];
  /** Wrap the response body (bandwidth throttling with `init.throttle`). */
  wrapBody?(body: Readable, ctx: BodyWrapContext): Readable;
  /** Called after `updateOptions` with the new options. */
  onOptions?(options: ConnectionSecurityOptions): void;
}

/** The revocation facts of a connection nobody checked. */
export function ocspOff(): OcspInfo {
  return {
    status: 'off',
    source: null,
    thisUpdate: null,
    nextUpdate: null,
    revokedAt: null,
    detail: null,
  };
}
