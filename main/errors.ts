/**
 * The base of every coded error in main. Each failure has a subclass with a stable
 * `ERR_*` code from `preload/error-codes.ts`, so the UI, the CLI and the logs can
 * tell failures apart without parsing messages (got / undici style).
 */
import type { ErrorCode } from '../preload/error-codes';
import type { ErrorPayload } from '../preload/contract';

/** Options every coded error accepts. */
export interface AppErrorOptions {
  retryable?: boolean;
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** A coded application error. Subclass it per failure; never throw bare strings. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** Raised when an argument fails validation (IPC, CLI or API). */
export class InvalidArgumentError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ERR_INVALID_ARGUMENT', message, { details });
  }
}

/** Raised when a job, component or pin does not exist. */
export class NotFoundError extends AppError {
  constructor(message: string) {
    super('ERR_NOT_FOUND', message);
  }
}

/** Remove user:password@ from every URL inside a string, so credentials never reach logs. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, '$1***@');
}

/** Turn anything thrown into the payload that crosses the bridge. */
export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof AppError) {
    const payload: ErrorPayload = {
      code: err.code,
      message: redactUrlCredentials(err.message),
      retryable: err.retryable,
    };
    if (err.details) payload.details = err.details;
    return payload;
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'ERR_INTERNAL', message: redactUrlCredentials(message), retryable: false };
}
