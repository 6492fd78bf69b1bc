/**
 * Types of the job manager (main/jobs): the persisted job record, the narrow downloader
 * interface the manager depends on, the clock and the manager's options.
 */
import type { ErrorPayload, JobState, PauseReason } from '../../preload/contract';
import type { EventHub } from '../core/services';
import type { DownloadObserver, DownloadResult } from '../download/types';

/** A half-open byte range `[start, end)` that is known to be on disk. */
export type ByteRange = [start: number, end: number];

/** The host policy a job downloads under: pins plus whatever the registry adds. */
export interface JobHostPolicy {
  /** `sha256/BASE64` SPKI pins for the job's origin host (merged with the pin registry's). */
  pins: string[];
}

/** The last durable checkpoint of a job's part file. */
export interface JobCheckpoint {
  /** Completed, merged byte ranges of the part file, sorted. */
  ranges: ByteRange[];
  total: number | null;
  at: number;
}

/** One job as the store keeps it (schema v2). Live rates are not persisted. */
export interface JobRecord {
  id: string;
  url: string;
  dest: string;
  label: string | null;
  component: string | null;
  priority: number;
  /** Insertion order, the tie-break between equal priorities (FIFO). */
  seq: number;
  state: JobState;
  pauseReason: PauseReason | null;
  error: ErrorPayload | null;
  attempt: number;
  nextAttemptAt: number | null;
  retryReason: string | null;
  stalledSince: number | null;
  total: number | null;
  downloaded: number;
  /** Requested connections (null = the setting). */
  connections: number | null;
  /** The raw expected hash as given (hex or SRI), passed to the downloader verbatim. */
  expectedHash: string | null;
  expected: { size: number | null; algorithm: 'sha256' | 'sha512' | null; digest: string | null };
  policy: JobHostPolicy;
  checkpoint: JobCheckpoint | null;
  sha256: string | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** What the manager hands the downloader for one run of a job. */
export interface JobDownloadRequest {
  expectedSize?: number;
  /** Hex or SRI digest exactly as the user gave it. */
  expectedHash?: string;
  policy: JobHostPolicy;
  connections: number;
  /**
   * The byte ranges the job store last checkpointed (empty when it has none). Bytes of the
   * part file outside them were written after the last checkpoint and must not be trusted.
   */
  trustedRanges: ByteRange[];
  observer: DownloadObserver;
}

/**
 * The narrow slice of the secure downloader the job manager depends on. The real
 * SecureDownloader is adapted to it (see secure-downloader-adapter.ts); unit tests use a
 * small fake that writes real files.
 */
export interface JobDownloader {
  download(
    url: string,
    dest: string,
    request: JobDownloadRequest,
    signal: AbortSignal,
  ): Promise<DownloadResult>;
  /** Delete a job's partial data (part file and resume state). Defaults to removing `<dest>.part*`. */
  discard?(dest: string): Promise<void>;
}

/** Time source and timers, injectable for tests. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Job-related settings, read on every scheduling decision so changes apply live. */
export interface JobSettings {
  maxActive: number;
  connectionsPerJob: number;
  perHostConnections: number;
  autoResume: boolean;
  downloadDir: string;
}

/** Options of {@link createJobManager}. */
export interface JobManagerOptions {
  downloader: JobDownloader;
  /** Directory of the job store and its lock. */
  stateDir: string;
  events: EventHub;
  /** Current job settings; missing fields fall back to the defaults. */
  settings?: () => Partial<JobSettings>;
  clock?: Clock;
  /** Build the host policy a job downloads under (default: the job's own pins). */
  hostPolicy?: (url: URL, jobPins: string[]) => JobHostPolicy;
  /** Completed/failed/canceled jobs kept in history (default 200). */
  historyLimit?: number;
  /** Minimum ms between progress checkpoints of the store (default 1000). */
  checkpointIntervalMs?: number;
  /** Minimum ms between `jobs:batch` events (default 100, i.e. at most 10/s). */
  batchIntervalMs?: number;
  /** Called with non-fatal internal problems (store write failures); default console.warn. */
  onWarning?: (message: string, err?: unknown) => void;
}

/** Default job settings. */
export const DEFAULT_JOB_SETTINGS: Omit<JobSettings, 'downloadDir'> = {
  maxActive: 3,
  connectionsPerJob: 4,
  perHostConnections: 8,
  autoResume: false,
};

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
