/** Options of the secure downloader, their defaults and validation. */
import { InvalidArgumentError } from '../errors';
import type { DigestAlgorithm } from './integrity';
import type { DownloadObserver } from './types';

/** What to do with the part file when the digest does not match. */
export type IntegrityFailureAction = 'delete' | 'quarantine';

/** Everything that shapes one download. */
export interface SecureDownloadOptions {
  /** Parallel connections for a range-capable server, 1–16 (default 4). */
  connections: number;
  /** No segment is split below this many bytes (default 4 MiB). */
  minSegmentSize: number;
  /** Exact expected size in bytes; a different announced size fails before any data is kept. */
  expectedSize: number | null;
  /** Expected digest: hex (sha256 or sha512 by length) or SRI (`sha256-BASE64`). */
  expectedDigest: string | null;
  /** Force the digest algorithm when the hex length is ambiguous or to reject the other one. */
  expectedAlgorithm: DigestAlgorithm | null;
  /** Hard cap on the body size (endless-data attack); default 32 GiB. */
  maxSize: number;
  /** Part file on ERR_INTEGRITY: deleted (default) or moved to `<dest>.quarantine-<time>`. */
  onIntegrityFailure: IntegrityFailureAction;
  /** At most one progress event per this many ms (plus a final one). */
  progressIntervalMs: number;
  /** At most one durable checkpoint per this many ms (plus one per phase change). */
  checkpointIntervalMs: number;
  /** Also checkpoint once this fraction of the file is written but unsaved (min 1 MiB). */
  checkpointFraction: number;
  /** Attempts per segment without progress before giving up. */
  segmentAttempts: number;
  /** First retry delay (full jitter, doubling). */
  retryInitialDelayMs: number;
  /** Longest retry delay. */
  retryMaxDelayMs: number;
  /**
   * 'streaming' (default) hashes on the main thread as bytes are written (from memory at the
   * hash frontier, else by re-reading the part file); 'worker' hashes the part file in order in
   * a worker thread (no faster on a 2-core loopback bench, +8 MiB RSS; see docs/performance.md);
   * 'final-pass' reads the whole part file once after the last byte.
   */
  hashStrategy: 'worker' | 'streaming' | 'final-pass';
  /** Report the 'stalled' phase after this many ms without a byte (0 = never). */
  stallAfterMs: number;
  /**
   * Largest range one request asks for. Bounded requests let a free connection take half of
   * the work nobody has requested yet without cutting a response off, and bound what is in
   * flight (socket buffers) when the process is killed, so a resume re-fetches little.
   */
  requestChunkBytes: number;
  /**
   * Response stream buffer (256 KiB). Smaller buffers hold fewer fetched-but-unsaved bytes at a
   * kill -9 (resume loss) at no measured throughput cost against 1 MiB.
   */
  highWaterMark: number;
  /** Bytes gathered before one positional write (512 KiB: few syscalls, little unsaved data). */
  writeBatchBytes: number;
  /** Extra SPKI pins for the download host (merged with the client's registry). */
  pins: string[];
  /** Extra request headers. */
  headers: Record<string, string>;
  /** Per-job bandwidth group, passed through to the secure client. */
  throttle: unknown;
  /** Resume from `<dest>.part` + state when they match (default true). */
  resume: boolean;
  /** Check free space before starting (default true). */
  checkFreeSpace: boolean;
  /** Progress and phase callbacks. */
  observer: DownloadObserver;
}

/**
 * The defaults: 4 connections, 4 MiB minimum segment, 32 GiB cap, delete on mismatch; 8 MiB
 * ranges (resume loss vs per-request cost, see docs/performance.md).
 */
export function defaultSecureDownloadOptions(): SecureDownloadOptions {
  return {
    connections: 4,
    minSegmentSize: 4 * 1024 * 1024,
    expectedSize: null,
    expectedDigest: null,
    expectedAlgorithm: null,
    maxSize: 32 * 1024 ** 3,
    onIntegrityFailure: 'delete',
    progressIntervalMs: 100,
    checkpointIntervalMs: 1000,
    checkpointFraction: 0.004,
    segmentAttempts: 5,
    retryInitialDelayMs: 250,
    retryMaxDelayMs: 10_000,
    hashStrategy: 'streaming',
    stallAfterMs: 15_000,
    requestChunkBytes: 8 * 1024 * 1024,
    highWaterMark: 256 * 1024,
    writeBatchBytes: 512 * 1024,
    pins: [],
    headers: {},
    throttle: undefined,
    resume: true,
    checkFreeSpace: true,
    observer: {},
  };
}

function intIn(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}.`, {
      [name]: value,
    });
  }
}

/** Merge partial options over the defaults and validate them. */
export function resolveDownloadOptions(
  partial: Partial<SecureDownloadOptions> = {},
): SecureDownloadOptions {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const options = { ...defaultSecureDownloadOptions(), ...defined } as SecureDownloadOptions;
  intIn('connections', options.connections, 1, 16);
  intIn('minSegmentSize', options.minSegmentSize, 1, 2 ** 40);
  intIn('maxSize', options.maxSize, 0, Number.MAX_SAFE_INTEGER);
  if (options.expectedSize !== null)
    intIn('expectedSize', options.expectedSize, 0, Number.MAX_SAFE_INTEGER);
  intIn('progressIntervalMs', options.progressIntervalMs, 0, 60_000);
  intIn('checkpointIntervalMs', options.checkpointIntervalMs, 0, 600_000);
  if (!(options.checkpointFraction > 0 && options.checkpointFraction <= 1)) {
    throw new InvalidArgumentError('checkpointFraction must be in (0, 1].');
  }
  intIn('requestChunkBytes', options.requestChunkBytes, 1, Number.MAX_SAFE_INTEGER);
  intIn('stallAfterMs', options.stallAfterMs, 0, 3_600_000);
  intIn('segmentAttempts', options.segmentAttempts, 1, 100);
  intIn('highWaterMark', options.highWaterMark, 1024, 64 * 1024 * 1024);
  intIn('writeBatchBytes', options.writeBatchBytes, 1, 256 * 1024 * 1024);
  if (!['worker', 'streaming', 'final-pass'].includes(options.hashStrategy)) {
    throw new InvalidArgumentError('hashStrategy must be "worker", "streaming" or "final-pass".');
  }
  if (options.onIntegrityFailure !== 'delete' && options.onIntegrityFailure !== 'quarantine') {
    throw new InvalidArgumentError('onIntegrityFailure must be "delete" or "quarantine".');
  }
  return options;
}
