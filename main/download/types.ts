/**
 * Public types of the secure downloader (main/download), used by the job manager, the
 * update installer and the CLI. The implementation lives beside them.
 */
import type { SegmentProgress } from '../../preload/contract';
import type { RetryEvent } from '../net/types';

/** Phases a download reports, mapped by the job manager onto job states. */
export type DownloadPhase = 'connecting' | 'downloading' | 'retrying' | 'stalled' | 'verifying';

/** One progress event; at most every `progressIntervalMs`, plus a guaranteed final one. */
export interface DownloadProgress {
  total: number | null;
  downloaded: number;
  percent: number | null;
  /** Smoothed (EWMA) bytes per second. */
  bytesPerSecond: number;
  etaSeconds: number | null;
  segments: SegmentProgress[];
}

/** What a finished, verified download produced. */
export interface DownloadResult {
  dest: string;
  bytes: number;
  /** Hex sha256 of the promoted file (always computed). */
  sha256: string;
  /** Hex digest of the expected algorithm when it was sha512. */
  sha512?: string;
  /** Bytes fetched from the network in this run (resume efficiency). */
  bytesTransferred: number;
  resumed: boolean;
}

/** Callbacks a caller (job manager, CLI, installer) may pass to observe a download. */
export interface DownloadObserver {
  onProgress?: (progress: DownloadProgress) => void;
  onPhase?: (phase: DownloadPhase, info?: { retry?: RetryEvent; stalledSince?: number }) => void;
}
