/**
 * The secure downloader: resumable, parallel-segment downloads over the secure client,
 * verified before they are promoted to `dest`. See download-job.ts for the invariants.
 */
import { resolve } from 'node:path';
import { DownloadJob, type DownloadTransport } from './download-job';
import { parseExpectedDigest } from './integrity';
import { resolveDownloadOptions, type SecureDownloadOptions } from './options';
import type { DownloadResult } from './types';

export type { DownloadTransport } from './download-job';

/** Downloads URLs to files through a secure client (anything with its `request` method). */
export class SecureDownloader {
  constructor(private readonly client: DownloadTransport) {}

  /**
   * Download `url` to `dest`. Resolves once `dest` holds verified bytes; rejects with a coded
   * AppError (ERR_INTEGRITY, ERR_TOO_LARGE, ERR_DISK_FULL, ERR_ABORTED, …) otherwise, leaving
   * `dest` untouched and, where it is still trustworthy, `<dest>.part` + state for a resume.
   */
  async download(
    url: string,
    dest: string,
    options: Partial<SecureDownloadOptions> = {},
    signal?: AbortSignal,
  ): Promise<DownloadResult> {
    const resolved = resolveDownloadOptions(options);
    const expected =
      resolved.expectedDigest === null
        ? null
        : parseExpectedDigest(resolved.expectedDigest, resolved.expectedAlgorithm ?? undefined);
    return new DownloadJob(this.client, url, resolve(dest), resolved, expected, signal).run();
  }
}
