/**
 * Coded errors of the update manager: feed (TUF) failures, archive safety, version
 * rules and installs. Each carries a stable ERR_* code from preload/error-codes.ts.
 */
import { AppError, type AppErrorOptions } from '../errors';

/** Codes a feed check can fail with. */
export type FeedErrorCode =
  | 'ERR_FEED_EXPIRED'
  | 'ERR_FEED_SIGNATURE'
  | 'ERR_FEED_ROLLBACK'
  | 'ERR_FEED_INVALID'
  | 'ERR_FEED_UNREACHABLE';

/** A signed-metadata (TUF) failure while refreshing the feed. */
export class FeedError extends AppError {
  constructor(code: FeedErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, { retryable: code === 'ERR_FEED_UNREACHABLE', ...options });
  }
}

/** The feed has no target matching the component, version, platform and channel. */
export class TargetNotFoundError extends AppError {
  constructor(message: string) {
    super('ERR_TARGET_NOT_FOUND', message);
  }
}

/** The requested version is older than the installed (or highest ever installed) one. */
export class DowngradeError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ERR_DOWNGRADE', message, { details });
  }
}

/** The installed version is below the release's minimum version to update from. */
export class MinVersionError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('ERR_MIN_VERSION', message, { details });
  }
}

/** Codes an archive can be rejected with. */
export type ArchiveErrorCode =
  'ERR_ARCHIVE_UNSAFE' | 'ERR_ARCHIVE_TOO_LARGE' | 'ERR_ARCHIVE_INVALID';

/** An update archive was unsafe, too large or damaged; nothing outside staging was touched. */
export class ArchiveError extends AppError {
  constructor(code: ArchiveErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}

/** The staged component failed its checks (e.g. the core's `--version`). */
export class ValidationError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('ERR_VALIDATION_FAILED', message, options);
  }
}

/** The swap itself failed; the current version was kept or restored. */
export class InstallError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('ERR_INSTALL', message, options);
  }
}

/** Rollback was asked for but no backup exists. */
export class NoBackupError extends AppError {
  constructor(message: string) {
    super('ERR_NO_BACKUP', message);
  }
}
