/**
 * The seed's drop-in entry point: download with pins and a
 * `(totalBytes, downloadedBytes, percentage)` progress callback.
 */
import { SecureClient } from '../net/secure-client';
import type { PinnedCertificate } from '../net/types';
import type { DownloadTransport } from './download-job';
import type { SecureDownloadOptions } from './options';
import { SecureDownloader } from './secure-downloader';
import type { DownloadResult } from './types';

/** The seed's progress callback; `totalBytes` is -1 and `percentage` 0 while the size is unknown. */
export type SeedProgressCallback = (
  totalBytes: number,
  downloadedBytes: number,
  percentage: number,
) => void;

/** Extras beyond the seed's signature. */
export interface DownloadWithSecureProgressExtras {
  /** Use this client instead of a fresh SecureClient (which is closed afterwards). */
  client?: DownloadTransport;
  options?: Partial<SecureDownloadOptions>;
  signal?: AbortSignal;
}

/**
 * Download `url` to `dest`, pinning the host to `pins` (`sha256/BASE64` strings for the URL's
 * host, or full PinnedCertificate entries), reporting progress the way the seed did.
 */
export async function downloadWithSecureProgress(
  url: string,
  dest: string,
  pins: ReadonlyArray<string | PinnedCertificate> = [],
  onProgress?: SeedProgressCallback,
  extras: DownloadWithSecureProgressExtras = {},
): Promise<DownloadResult> {
  const registryPins = pins.filter((p): p is PinnedCertificate => typeof p !== 'string');
  // Bare pins, and entries for exactly this host, also travel with each request, so they
  // apply even when the caller passes its own client.
  const host = new URL(url).hostname;
  const hostPins = [
    ...pins.filter((p): p is string => typeof p === 'string'),
    ...registryPins
      .filter((p) => p.host === host && !p.reportOnly)
      .flatMap((p) => p.publicKeyHashes),
  ];
  const own = extras.client
    ? null
    : new SecureClient({ options: { pins: registryPins }, defaultHighWaterMark: 1024 * 1024 });
  const client: DownloadTransport = extras.client ?? (own as SecureClient);
  try {
    const observer = { ...extras.options?.observer };
    const userProgress = observer.onProgress;
    observer.onProgress = (p) => {
      userProgress?.(p);
      onProgress?.(p.total ?? -1, p.downloaded, p.percent ?? 0);
    };
    return await new SecureDownloader(client).download(
      url,
      dest,
      { ...extras.options, pins: [...(extras.options?.pins ?? []), ...hostPins], observer },
      extras.signal,
    );
  } finally {
    await own?.close();
  }
}
