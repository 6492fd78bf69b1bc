/**
 * Coded failures of the secure downloader. Each maps to a stable `ERR_*` code so the job
 * manager can decide between retry, pause (disk full) and fail without parsing messages.
 */
import { AppError, redactUrlCredentials, type AppErrorOptions } from '../errors';

/** The bytes do not match the expected digest; the part file was deleted or quarantined. */
export class IntegrityError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('ERR_INTEGRITY', message, { ...options, retryable: false });
  }
}

/** The server sent more than the expected or maximum size; the transfer was cut off. */
export class TooLargeError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ERR_TOO_LARGE', message, { retryable: false, details });
  }
}

/** The size announced or received differs from the expected size. */
export class SizeMismatchError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ERR_SIZE_MISMATCH', message, { retryable: false, details });
  }
}

/** A 206 whose Content-Range does not answer the range asked for. */
export class RangeInvalidError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ERR_RANGE_INVALID', message, { retryable: false, details });
  }
}

/** Not enough free space, before starting or mid-way (ENOSPC). Partial data is kept. */
export class DiskFullError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('ERR_DISK_FULL', message, { ...options, retryable: false });
  }
}

/** Any other file-system failure while writing or promoting the download. */
export class DiskError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('ERR_DISK', message, { ...options, retryable: false });
  }
}

/** The caller's AbortSignal fired; partial data and resume state are kept. */
export class DownloadAbortedError extends AppError {
  constructor(message = 'The download was canceled.') {
    super('ERR_ABORTED', message, { retryable: false });
  }
}

/** An HTTP status the downloader cannot use (e.g. 404, or 416 on a fresh request). */
export class DownloadHttpError extends AppError {
  constructor(status: number, url: string, retryAfter: string | null = null) {
    super('ERR_HTTP_STATUS', `The server answered ${status} for ${redactUrlCredentials(url)}.`, {
      retryable: status >= 500 || status === 429 || status === 408,
      details: { status, retryAfter },
    });
  }
}

/** Map a file-system error to the downloader's codes (ENOSPC/EDQUOT → ERR_DISK_FULL). */
export function toDiskError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new DiskFullError(
      `No space left on the device while ${what}. The partial download is kept.`,
      {
        cause: err,
      },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new DiskError(`Disk error while ${what}: ${message}`, { cause: err });
}
