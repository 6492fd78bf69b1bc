/**
 * Coded errors of the secure client. Every failure the client raises is one of these, so the
 * downloader, the UI and the CLI can branch on `code` (and `retryable`) without parsing text.
 */
import { AppError, type AppErrorOptions } from '../errors';
import type { ErrorCode } from '../../preload/error-codes';
import type { TimeoutPhase } from './types';

/** Any failure to set up or use a secure connection (TLS, trust, pinning, transport). */
export class SecureConnectionError extends AppError {
  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}

/** A pin given in configuration is malformed (ERR_INVALID_PIN). */
export class InvalidPinError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ERR_INVALID_PIN', message, { details });
  }
}

/** One certificate of the presented (verified) chain as listed in a pin failure. */
export interface PresentedCert {
  index: number;
  subject: string;
  issuer: string;
  pin: string;
}

/**
 * No pin of the host's pin set matched any certificate of the verified chain. The message
 * lists the host, the expected pins and every certificate with its pin (OkHttp style), so a
 * user can read off the right pin after checking it out of band.
 */
export class PinMismatchError extends SecureConnectionError {
  constructor(host: string, expected: string[], chain: PresentedCert[], cause?: string) {
    const lines = [
      `Certificate pinning failure for ${host}${cause ? ` (${cause})` : ''}!`,
      '  Peer certificate chain:',
      ...chain.map((c) => `    ${c.pin}: ${c.subject}`),
      `  Pinned certificates for ${host}:`,
      ...expected.map((p) => `    ${p}`),
    ];
    super('ERR_PIN_MISMATCH', lines.join('\n'), { details: { host, expected, chain } });
  }
}

/** The host's pin set is past its expiry and fails closed (ERR_PIN_SET_EXPIRED). */
export class PinSetExpiredError extends SecureConnectionError {
  constructor(host: string, expires: string) {
    super(
      'ERR_PIN_SET_EXPIRED',
      `The pin set for ${host} expired on ${expires}. Inspect the host (\`pin https://${host}/\`), ` +
        'verify its current key out of band, then pin it again with a new expiry (or remove the expiry).',
      { details: { host, expires } },
    );
  }
}

/** A phase of a request exceeded its timeout (ERR_TIMEOUT); retryable. */
export class TimeoutError extends SecureConnectionError {
  readonly phase: TimeoutPhase;
  constructor(phase: TimeoutPhase, ms: number, url?: string) {
    super('ERR_TIMEOUT', `Timed out in phase "${phase}" after ${ms} ms${url ? ` (${url})` : ''}`, {
      retryable: phase !== 'total',
      details: { phase, ms },
    });
    this.phase = phase;
  }
}

/** The caller canceled the operation (ERR_ABORTED). */
export class AbortedError extends SecureConnectionError {
  constructor(message = 'The request was canceled') {
    super('ERR_ABORTED', message);
  }
}

/** A transport-level failure (reset, refused, DNS…) carrying the system code (ERR_NETWORK). */
export class NetworkError extends SecureConnectionError {
  readonly syscallCode: string | null;
  constructor(message: string, syscallCode: string | null, cause?: unknown) {
    super('ERR_NETWORK', message, { retryable: true, cause, details: { syscallCode } });
    this.syscallCode = syscallCode;
  }
}

/** An HTTP status the caller treats as failure (ERR_HTTP_STATUS). */
export class HttpStatusError extends AppError {
  readonly status: number;
  constructor(status: number, url: string) {
    super('ERR_HTTP_STATUS', `The server answered ${status} for ${url}`, {
      retryable: [408, 425, 429, 500, 502, 503, 504].includes(status),
      details: { status, url },
    });
    this.status = status;
  }
}
