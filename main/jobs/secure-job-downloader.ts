/**
 * Adapts the real SecureDownloader (main/download) to the job manager's narrow
 * JobDownloader interface, and aligns the downloader's own resume state with the job
 * store's checkpoint before each run.
 */
import type { SecureDownloadOptions } from '../download/options';
import {
  readResumeState,
  removePartial,
  statePathOf,
  writeResumeState,
} from '../download/resume-state';
import type { DownloadResult } from '../download/types';
import type { ByteRange, JobDownloader } from './types';

/** The one method of SecureDownloader the adapter calls. */
export interface SecureDownloaderLike {
  download(
    url: string,
    dest: string,
    options?: Partial<SecureDownloadOptions>,
    signal?: AbortSignal,
  ): Promise<DownloadResult>;
}

/**
 * Shrink the downloader's resume state (`<dest>.part.json`) so that it claims no byte
 * outside `trusted`. Returns how many previously claimed bytes were dropped.
 *
 * Why: there are two checkpoints of the same part file. The downloader's is written after
 * an fdatasync of the part file, so it never claims bytes that are not durable; the job
 * store's is what the job manager last recorded. After a crash we trust only their
 * intersection: a byte is kept only if both said it was done. Any byte written after the
 * job's last checkpoint is fetched again (the downloader re-requests from `start + done`
 * and overwrites it), which is the "truncate to the checkpoint" rule of the job store.
 */
export async function clampResumeState(dest: string, trusted: ByteRange[]): Promise<number> {
  const path = statePathOf(dest);
  const state = await readResumeState(path);
  if (!state) return 0;
  let dropped = 0;
  const segments = state.segments.map((s) => {
    const range = trusted.find(([a, b]) => a <= s.start && s.start < b);
    const done = range ? Math.min(s.done, range[1] - s.start) : 0;
    dropped += s.done - done;
    return { ...s, done };
  });
  if (dropped > 0) await writeResumeState(path, { ...state, segments });
  return dropped;
}

/** Options of {@link createSecureJobDownloader}. */
export interface SecureJobDownloaderOptions {
  /** Base downloader options (e.g. from settings), read before every run. */
  baseOptions?: () => Partial<SecureDownloadOptions>;
  /** Reports bytes dropped by {@link clampResumeState} (diagnostics and the soak script). */
  onClamp?: (dest: string, droppedBytes: number) => void;
}

/** Wrap a SecureDownloader as a JobDownloader. */
export function createSecureJobDownloader(
  downloader: SecureDownloaderLike,
  options: SecureJobDownloaderOptions = {},
): JobDownloader {
  return {
    async download(url, dest, request, signal) {
      const dropped = await clampResumeState(dest, request.trustedRanges);
      if (dropped > 0) options.onClamp?.(dest, dropped);
      return downloader.download(
        url,
        dest,
        {
          ...options.baseOptions?.(),
          connections: request.connections,
          expectedSize: request.expectedSize ?? null,
          expectedDigest: request.expectedHash ?? null,
          pins: request.policy.pins,
          observer: request.observer,
        },
        signal,
      );
    },
    discard: (dest) => removePartial(dest),
  };
}
