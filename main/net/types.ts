/**
 * Public types of the secure client (main/net). The downloader, the update feed and the
 * IPC handlers code against these; the implementation lives beside them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { ConnectionFacts } from '../../preload/contract';

/** A pinned host: SHA-256 SPKI pins that any certificate of the verified chain may match. */
export interface PinnedCertificate {
  /** Exact host, `*.example.com` (one label) or `**.example.com` (any depth). */
  host: string;
  /** `sha256/BASE64`, `sha256//BASE64` or bare base64; normalised to `sha256/BASE64`. */
  publicKeyHashes: string[];
  /** Optional labels, index-aligned with publicKeyHashes. */
  labels?: (string | null)[];
  /** Optional exact subject rule for the leaf (e.g. `CN=updates.example.com`). */
  subjectName?: string;
  /** Optional exact issuer rule for the leaf. */
  issuer?: string;
  /** Pin-set expiry (ISO date). Past it the host fails closed with ERR_PIN_SET_EXPIRED. */
  expires?: string;
  /** Log and emit a `pinReport` event on mismatch, but do not block. */
  reportOnly?: boolean;
}

/** Retry policy: exponential backoff with full jitter. */
export interface RetryOptions {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Overall deadline for all attempts of one operation (0 = none). */
  deadlineMs: number;
  /** Cap on how long a Retry-After header may make us wait. */
  maxRetryAfterMs: number;
}

/**
 * curl-style `--speed-limit`/`--speed-time`: the body fails (TimeoutError phase 'lowSpeed')
 * when fewer than `bytesPerSecond * windowMs / 1000` bytes arrive in any window of time spent
 * waiting on the network. Time paused by our own throttle or a slow consumer does not count.
 * Either field 0 disables the check.
 */
export interface LowSpeedLimit {
  bytesPerSecond: number;
  windowMs: number;
}

/** Per-phase timeouts in ms; each raises TimeoutError with its `phase`. 0 disables one. */
export interface PhaseTimeouts {
  connect: number;
  tlsHandshake: number;
  responseHeaders: number;
  /** No bytes received for this long. */
  idle: number;
  /** Whole request including body; 0 (the default) so multi-gigabyte downloads can finish. */
  total: number;
  /** Minimum transfer rate of the body (bounds a slow drip that keeps the idle timer happy). */
  lowSpeed: LowSpeedLimit;
}

/** Name of a timeout phase. */
export type TimeoutPhase = keyof PhaseTimeouts;

/** Revocation policy for a host. */
export type RevocationMode = 'off' | 'soft' | 'hard';

/** A client certificate for mTLS, per host pattern. */
export interface ClientCertificate {
  host: string;
  certFile?: string;
  keyFile?: string;
  pfxFile?: string;
  passphrase?: string;
}

/** Connection pool limits. */
export interface PoolOptions {
  maxSocketsPerHost: number;
  maxTotalSockets: number;
  maxFreeSockets: number;
  idleSocketTimeoutMs: number;
}

/** Everything that decides how the client connects. */
export interface ConnectionSecurityOptions {
  /** 'TLSv1.3' by default; can never be set below 'TLSv1.2'. */
  minTlsVersion: 'TLSv1.3' | 'TLSv1.2';
  /** Extra CA certificates (PEM file paths) trusted in addition to Node's roots. */
  caFiles: string[];
  /** Extra CA certificates as PEM text. */
  ca: string[];
  /** Whether Node's bundled roots are trusted as well (true by default). */
  useSystemRoots: boolean;
  pins: PinnedCertificate[];
  retry: RetryOptions;
  timeouts: PhaseTimeouts;
  pool: PoolOptions;
  maxRedirects: number;
  revocation: RevocationMode;
  /** Per-host revocation modes (first matching host pattern wins over `revocation`). */
  revocationHosts?: { host: string; mode: RevocationMode }[];
  /** Query the AIA OCSP responder when no staple is present. */
  ocspFallback: boolean;
  crlFiles: string[];
  clientCertificates: ClientCertificate[];
  /** Explicit proxy URL; credentials may be embedded and are never logged. null = use env. */
  proxy: string | null;
  /** Read HTTPS_PROXY / HTTP_PROXY / NO_PROXY when `proxy` is null. */
  proxyFromEnv: boolean;
  /** Global bandwidth cap in bytes/s (null = unlimited). */
  bandwidthLimit: number | null;
  userAgent: string;
  /** curl-style `--resolve`: host name → IP address to connect to (TLS still checks the name). */
  resolve?: Record<string, string>;
}

/** Options for one request. */
export interface SecureRequestInit {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Override or disable (false) retries for this request. */
  retry?: Partial<RetryOptions> | false;
  timeouts?: Partial<PhaseTimeouts>;
  maxRedirects?: number;
  /** Extra pins for this request's origin host (merged with the registry's). */
  pins?: string[];
  /** Buffer size for the response stream; 1 MiB suits bulk downloads. */
  highWaterMark?: number;
  /** Per-job bandwidth group, shared by all of a job's segments (handed to body wrappers). */
  throttle?: unknown;
  /** Extra request body-less metadata for plugins (e.g. a job id for logs). */
  tag?: string;
}

/** A response whose headers have arrived; the body is a stream still under idle/total timeouts. */
export interface SecureResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Final URL after redirects. */
  url: string;
  body: Readable;
  facts: ConnectionFacts;
}

/** Emitted before each retry, so the UI can say "retrying in 4 s — 503". */
export interface RetryEvent {
  url: string;
  attempt: number;
  delayMs: number;
  reason: string;
  code: string | null;
  status: number | null;
}

/** Emitted for every pin evaluation that did not match (enforced or report-only). */
export interface PinReport {
  host: string;
  url: string;
  matched: boolean;
  /** True when the mismatch blocked the connection; false in report-only mode. */
  enforced: boolean;
  expected: string[];
  /** `sha256/…` pins of the verified chain, leaf first. */
  chain: string[];
  /** Error code of the failure (ERR_PIN_MISMATCH, ERR_PIN_SET_EXPIRED, ERR_CERT_SUBJECT…). */
  code: string | null;
  message: string | null;
  at: number;
}

/** Connection pool counters. */
export interface PoolStats {
  /** Sockets created (each one a full TLS handshake). */
  created: number;
  /** Requests served on a kept-alive socket. */
  reused: number;
  /** Sockets currently serving a request. */
  active: number;
  /** Kept-alive sockets waiting in the pool. */
  idle: number;
  /** Requests waiting for a socket. */
  pending: number;
}

/** A request or connection that failed verification (for lastCheck bookkeeping). */
export interface ConnectionFailure {
  url: string;
  host: string;
  code: string;
  message: string;
  at: number;
}
