/**
 * Defaults, merging and validation of ConnectionSecurityOptions. The defaults are secure
 * (TLS 1.3 minimum, hostname checks always on) and suit multi-gigabyte downloads: there is
 * no overall time limit by default, only per-phase ones, an idle (no bytes) limit and a
 * curl-style minimum transfer rate (1 KiB/s over 60 s) that bounds a slow drip.
 */
import { InvalidArgumentError } from '../errors';
import type { ConnectionSecurityOptions, LowSpeedLimit, PhaseTimeouts } from './types';
import { normalizePinnedCertificate } from './pin-registry';

/** Default minimum transfer rate: 1 KiB/s over any 60 s spent waiting on the network. */
export const DEFAULT_LOW_SPEED: Readonly<LowSpeedLimit> = Object.freeze({
  bytesPerSecond: 1024,
  windowMs: 60_000,
});

/** Secure defaults for every option. */
export function defaultConnectionSecurityOptions(): ConnectionSecurityOptions {
  return {
    minTlsVersion: 'TLSv1.3',
    caFiles: [],
    ca: [],
    useSystemRoots: true,
    pins: [],
    retry: {
      maxAttempts: 5,
      initialDelayMs: 500,
      maxDelayMs: 30_000,
      deadlineMs: 300_000,
      maxRetryAfterMs: 120_000,
    },
    timeouts: {
      connect: 15_000,
      tlsHandshake: 15_000,
      responseHeaders: 30_000,
      idle: 60_000,
      total: 0,
      lowSpeed: { ...DEFAULT_LOW_SPEED },
    },
    pool: {
      maxSocketsPerHost: 8,
      maxTotalSockets: 64,
      maxFreeSockets: 8,
      idleSocketTimeoutMs: 30_000,
    },
    maxRedirects: 10,
    revocation: 'soft',
    ocspFallback: false,
    crlFiles: [],
    clientCertificates: [],
    proxy: null,
    proxyFromEnv: true,
    bandwidthLimit: null,
    userAgent: 'LLMrecon-Update-Manager/0.1',
    resolve: {},
  };
}

/** A patch of options: nested groups may be partial. */
export type ConnectionSecurityPatch = Partial<
  Omit<ConnectionSecurityOptions, 'retry' | 'timeouts' | 'pool'> & {
    retry: Partial<ConnectionSecurityOptions['retry']>;
    timeouts: Partial<Omit<PhaseTimeouts, 'lowSpeed'>> & { lowSpeed?: Partial<LowSpeedLimit> };
    pool: Partial<ConnectionSecurityOptions['pool']>;
  }
>;

/** Merge a patch over a base (groups merged one level deep, arrays replaced), then validate. */
export function mergeOptions(
  base: ConnectionSecurityOptions,
  patch: ConnectionSecurityPatch = {},
): ConnectionSecurityOptions {
  const merged: ConnectionSecurityOptions = {
    ...base,
    ...stripUndefined(patch),
    retry: { ...base.retry, ...stripUndefined(patch.retry ?? {}) },
    timeouts: {
      ...base.timeouts,
      ...stripUndefined(patch.timeouts ?? {}),
      lowSpeed: {
        ...(base.timeouts.lowSpeed ?? DEFAULT_LOW_SPEED),
        ...stripUndefined(patch.timeouts?.lowSpeed ?? {}),
      },
    },
    pool: { ...base.pool, ...stripUndefined(patch.pool ?? {}) },
  } as ConnectionSecurityOptions;
  return validateOptions(merged);
}

/** Resolve a patch against the defaults. */
export function resolveOptions(patch: ConnectionSecurityPatch = {}): ConnectionSecurityOptions {
  return mergeOptions(defaultConnectionSecurityOptions(), patch);
}

/** Normalise a TLS version spelling ('1.2', 'TLSv1.3', 'tls1.3'); throws below TLS 1.2. */
export function normalizeTlsVersion(v: string): 'TLSv1.2' | 'TLSv1.3' {
  const m = /^(?:tls\s*v?)?1\.([0-3])$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`Unknown TLS version "${v}"; use 1.2 or 1.3`);
  if (m[1] === '2') return 'TLSv1.2';
  if (m[1] === '3') return 'TLSv1.3';
  throw new InvalidArgumentError(
    `TLS ${'1.' + m[1]} is not allowed: the minimum can never go below TLS 1.2`,
  );
}

function nonNegative(name: string, v: number): void {
  if (!Number.isFinite(v) || v < 0)
    throw new InvalidArgumentError(`${name} must be a non-negative number`);
}

/** Validate (and normalise pins of) a full options object. */
export function validateOptions(o: ConnectionSecurityOptions): ConnectionSecurityOptions {
  const out = { ...o, minTlsVersion: normalizeTlsVersion(o.minTlsVersion) };
  out.pins = o.pins.map(normalizePinnedCertificate);
  const { lowSpeed, ...timed } = o.timeouts;
  for (const [k, v] of Object.entries(timed)) nonNegative(`timeouts.${k}`, v);
  out.timeouts = { ...o.timeouts, lowSpeed: validateLowSpeed(lowSpeed) };
  for (const [k, v] of Object.entries(o.retry)) nonNegative(`retry.${k}`, v);
  if (o.retry.maxAttempts < 1)
    throw new InvalidArgumentError('retry.maxAttempts must be at least 1');
  for (const [k, v] of Object.entries(o.pool)) {
    nonNegative(`pool.${k}`, v);
    if (k !== 'idleSocketTimeoutMs' && k !== 'maxFreeSockets' && v < 1)
      throw new InvalidArgumentError(`pool.${k} must be at least 1`);
  }
  if (!Number.isInteger(o.maxRedirects) || o.maxRedirects < 0 || o.maxRedirects > 10) {
    throw new InvalidArgumentError('maxRedirects must be an integer from 0 to 10');
  }
  if (o.bandwidthLimit !== null && !(o.bandwidthLimit > 0))
    throw new InvalidArgumentError('bandwidthLimit must be positive or null');
  out.resolve = { ...(o.resolve ?? {}) };
  return out;
}

/** Validate a low-speed limit: both fields non-negative numbers (0 disables the check). */
export function validateLowSpeed(l: LowSpeedLimit | undefined): LowSpeedLimit {
  if (l === undefined) return { ...DEFAULT_LOW_SPEED };
  if (typeof l !== 'object' || l === null)
    throw new InvalidArgumentError('timeouts.lowSpeed must be { bytesPerSecond, windowMs }');
  nonNegative('timeouts.lowSpeed.bytesPerSecond', l.bytesPerSecond);
  nonNegative('timeouts.lowSpeed.windowMs', l.windowMs);
  return { bytesPerSecond: l.bytesPerSecond, windowMs: l.windowMs };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
