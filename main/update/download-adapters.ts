/**
 * How the update service fetches a verified target: either through a job (the app: it
 * shows up in Downloads, can be paused and resumed) or straight through the secure
 * downloader (the CLI). Both get TUF's length and hash as the expected size and digest.
 */
import { AppError } from '../errors';
import type { EventHub, JobService } from '../core/services';
import type { JobSnapshot } from '../../preload/contract';
import { SecureDownloader, type DownloadTransport } from '../download/secure-downloader';

/** What the target must be, from the verified TUF metadata. */
export interface ExpectedTarget {
  size: number;
  sha256?: string;
  sha512?: string;
  pins?: string[];
}

/** Progress the update service forwards. */
export interface TargetProgress {
  downloaded: number;
  total: number | null;
}

/** Download `url` to `dest`, refusing anything but exactly `expected`. */
export type DownloadFn = (
  url: string,
  dest: string,
  expected: ExpectedTarget,
  onProgress?: (p: TargetProgress) => void,
  context?: { componentKey: string; label: string; onJob?: (jobId: string) => void },
) => Promise<void>;

function digestOf(expected: ExpectedTarget): {
  expectedDigest: string | null;
  expectedAlgorithm: 'sha256' | 'sha512' | null;
} {
  if (expected.sha512) return { expectedDigest: expected.sha512, expectedAlgorithm: 'sha512' };
  if (expected.sha256) return { expectedDigest: expected.sha256, expectedAlgorithm: 'sha256' };
  return { expectedDigest: null, expectedAlgorithm: null };
}

/** A DownloadFn straight on the secure downloader (CLI, tests). */
export function directDownload(transport: DownloadTransport): DownloadFn {
  const downloader = new SecureDownloader(transport);
  return async (url, dest, expected, onProgress) => {
    await downloader.download(url, dest, {
      ...digestOf(expected),
      expectedSize: expected.size,
      // TUF's length is exact: a longer body is an endless-data attack and is cut off.
      maxSize: expected.size,
      pins: expected.pins ?? [],
      connections: 1,
      observer: { onProgress: (p) => onProgress?.({ downloaded: p.downloaded, total: p.total }) },
    });
  };
}

/** A job service that can also tag a job with the component it belongs to. */
export type ComponentJobService = JobService & {
  setComponent?(id: string, component: string | null): Promise<JobSnapshot>;
};

/** A DownloadFn that queues a job (tagged with its component) and waits for it to finish. */
export function jobDownload(jobs: ComponentJobService, events: EventHub): DownloadFn {
  return async (url, dest, expected, onProgress, context) => {
    const { expectedDigest } = digestOf(expected);
    const job = await jobs.add({
      url,
      dest,
      expectedSize: expected.size,
      ...(expectedDigest ? { expectedHash: expectedDigest } : {}),
      ...(expected.pins?.length ? { pins: expected.pins } : {}),
      label: context?.label ?? `Update ${context?.componentKey ?? ''}`.trim(),
      priority: 10,
    });
    if (context?.componentKey && jobs.setComponent)
      await jobs.setComponent(job.id, context.componentKey);
    context?.onJob?.(job.id);
    await new Promise<void>((resolve, reject) => {
      let done = false;
      const settle = (snap: JobSnapshot): void => {
        if (done || snap.id !== job.id) return;
        onProgress?.({ downloaded: snap.downloaded, total: snap.total });
        if (snap.state === 'completed') finish(null);
        else if (snap.state === 'failed' || snap.state === 'canceled') {
          const e = snap.error;
          finish(
            new AppError(
              (e?.code ?? 'ERR_ABORTED') as never,
              e?.message ?? `download ${snap.state}`,
              { retryable: e?.retryable },
            ),
          );
        }
      };
      const finish = (err: Error | null): void => {
        done = true;
        unsubscribe();
        clearInterval(poll);
        if (err) reject(err);
        else resolve();
      };
      const unsubscribe = events.subscribe((event, payload) => {
        if (event !== 'jobs:batch') return;
        for (const snap of (payload as { jobs: JobSnapshot[] }).jobs) settle(snap);
      });
      // Belt and braces: a batch could be coalesced away before we subscribed.
      const poll = setInterval(() => {
        const snap = jobs.list().find((j) => j.id === job.id);
        if (snap) settle(snap);
        else finish(new AppError('ERR_ABORTED', 'the download job was removed'));
      }, 1000);
      poll.unref?.();
      settle(job);
    });
  };
}
