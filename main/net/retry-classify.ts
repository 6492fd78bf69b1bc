/**
 * Pure retry classification: which failures are worth another attempt. Network errors and
 * 408/425/429/5xx-gateway statuses are, on idempotent methods only. Trust failures (TLS
 * version, certificates, pins, revocation), cancellation and other 4xx never are.
 */
import { AppError } from '../errors';
import { NETWORK_CODES } from './tls-errors';

/** Statuses that may succeed when repeated. */
export const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** Codes meaning a connection failed a trust or pin check: never retried, reported as 'failure'. */
export const TRUST_FAILURE_CODES: ReadonlySet<string> = new Set([
  'ERR_TLS_VERSION',
  'ERR_TLS',
  'ERR_CERT_UNTRUSTED',
  'ERR_CERT_EXPIRED',
  'ERR_CERT_NOT_YET_VALID',
  'ERR_CERT_HOSTNAME',
  'ERR_CERT_SUBJECT',
  'ERR_CERT_ISSUER',
  'ERR_CERT_REVOKED',
  'ERR_OCSP_MISSING',
  'ERR_OCSP_INVALID',
  'ERR_PIN_MISMATCH',
  'ERR_PIN_SET_EXPIRED',
  'ERR_REDIRECT_INSECURE',
]);

/** Error codes that must never be retried whatever else is true. */
const NEVER = new Set([
  ...TRUST_FAILURE_CODES,
  'ERR_INVALID_PIN',
  'ERR_CLIENT_CERT_REQUIRED',
  'ERR_CLIENT_CERT_REJECTED',
  'ERR_CLIENT_CERT_PASSPHRASE',
  'ERR_CLIENT_CERT_KEY_MISMATCH',
  'ERR_CLIENT_CERT_INVALID',
  'ERR_PROXY_AUTH',
  'ERR_ABORTED',
  'ERR_TOO_MANY_REDIRECTS',
  'ERR_INSECURE_URL',
  'ERR_INVALID_URL',
]);

/** Input: a failed attempt (error) or a response status. */
export interface RetryClassifyInput {
  method: string;
  error?: unknown;
  status?: number;
}

/** Verdict with a short human reason ("503", "ECONNRESET", "timeout (responseHeaders)"). */
export interface RetryVerdict {
  retryable: boolean;
  reason: string;
  code: string | null;
  status: number | null;
}

/** Decide whether an attempt's outcome is worth retrying. Pure. */
export function classifyRetryable(input: RetryClassifyInput): RetryVerdict {
  const idempotent = IDEMPOTENT.has(input.method.toUpperCase());
  if (input.error === undefined) {
    const status = input.status ?? 0;
    return {
      retryable: idempotent && RETRYABLE_STATUSES.has(status),
      reason: `HTTP ${status}`,
      code: null,
      status,
    };
  }
  const err = input.error as {
    code?: unknown;
    message?: unknown;
    phase?: unknown;
    syscallCode?: unknown;
  };
  const code = typeof err?.code === 'string' ? err.code : null;
  const syscall = typeof err?.syscallCode === 'string' ? err.syscallCode : null;
  const message = typeof err?.message === 'string' ? err.message : String(input.error);
  if (code && NEVER.has(code)) return { retryable: false, reason: code, code, status: null };
  if (code === 'ERR_TIMEOUT') {
    const phase = typeof err.phase === 'string' ? err.phase : 'unknown';
    // The operation-wide "total" budget is spent: another attempt cannot fit in it.
    return {
      retryable: idempotent && phase !== 'total',
      reason: `timeout (${phase})`,
      code,
      status: null,
    };
  }
  if (code === 'ERR_NETWORK') {
    return { retryable: idempotent, reason: syscall ?? 'network error', code, status: null };
  }
  if (input.error instanceof AppError) {
    return {
      retryable: idempotent && input.error.retryable,
      reason: code ?? message,
      code,
      status: null,
    };
  }
  const netRetryable =
    (code !== null && NETWORK_CODES.has(code)) || /socket hang up/i.test(message);
  return { retryable: idempotent && netRetryable, reason: code ?? message, code, status: null };
}
