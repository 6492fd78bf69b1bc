/**
 * A small JobDownloader for unit tests of the queue: it "downloads" bytes produced
 * locally into a real `<dest>.part` file, honours the trusted ranges like the real
 * downloader (truncating to the checkpoint), reports phases and progress, and renames the
 * verified file into place. Test-only; never bundled.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { AppError } from '../../errors';
import type { DownloadResult } from '../../download/types';
import type { JobDownloader, JobDownloadRequest } from '../types';

/** One call the fake received. */
export interface FakeCall {
  url: string;
  dest: string;
  request: JobDownloadRequest;
  /** Offset the run resumed from. */
  resumedFrom: number;
}

/** Options of {@link FakeDownloader}. */
export interface FakeDownloaderOptions {
  /** The bytes behind a URL. */
  content: (url: string) => Buffer;
  chunkSize?: number;
  /** Pause between chunks, so tests can act mid-download. */
  chunkDelayMs?: number;
  /** Throw this error (once per returned value) when the run reaches `atByte`. */
  failure?: (url: string, attempt: number) => { atByte: number; error: Error } | null;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new AppError('ERR_ABORTED', 'aborted');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The fake downloader. */
export class FakeDownloader implements JobDownloader {
  readonly calls: FakeCall[] = [];
  running = 0;
  maxRunning = 0;
  readonly runningByHost = new Map<string, number>();
  readonly maxConnectionsByHost = new Map<string, number>();
  private readonly attempts = new Map<string, number>();

  constructor(private readonly opts: FakeDownloaderOptions) {}

  /** Download `url` into `dest` through `<dest>.part`. */
  async download(
    url: string,
    dest: string,
    request: JobDownloadRequest,
    signal: AbortSignal,
  ): Promise<DownloadResult> {
    const host = new URL(url).host;
    const attempt = (this.attempts.get(url) ?? 0) + 1;
    this.attempts.set(url, attempt);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const hostConns = (this.runningByHost.get(host) ?? 0) + request.connections;
    this.runningByHost.set(host, hostConns);
    this.maxConnectionsByHost.set(
      host,
      Math.max(this.maxConnectionsByHost.get(host) ?? 0, hostConns),
    );
    try {
      return await this.run(url, dest, request, signal, attempt);
    } finally {
      this.running--;
      this.runningByHost.set(host, (this.runningByHost.get(host) ?? 0) - request.connections);
    }
  }

  private async run(
    url: string,
    dest: string,
    request: JobDownloadRequest,
    signal: AbortSignal,
    attempt: number,
  ): Promise<DownloadResult> {
    const { observer } = request;
    const data = this.opts.content(url);
    const chunk = this.opts.chunkSize ?? 4096;
    const part = `${dest}.part`;
    observer.onPhase?.('connecting');
    await sleep(1, signal);

    // Resume only from the trusted contiguous prefix; anything after it is cut off.
    const size = await fsp.stat(part).then(
      (s) => s.size,
      () => -1,
    );
    const prefix = request.trustedRanges[0]?.[0] === 0 ? request.trustedRanges[0][1] : 0;
    let offset = size >= 0 ? Math.min(prefix, size) : 0;
    const fh = await fsp.open(part, size >= 0 ? 'r+' : 'w');
    try {
      await fh.truncate(offset);
      this.calls.push({ url, dest, request, resumedFrom: offset });
      const failure = this.opts.failure?.(url, attempt) ?? null;
      observer.onPhase?.('downloading');
      while (offset < data.length) {
        if (failure && offset >= failure.atByte) throw failure.error;
        await sleep(this.opts.chunkDelayMs ?? 0, signal);
        const piece = data.subarray(offset, Math.min(offset + chunk, data.length));
        await fh.write(piece, 0, piece.length, offset);
        offset += piece.length;
        observer.onProgress?.({
          total: data.length,
          downloaded: offset,
          percent: (offset / data.length) * 100,
          bytesPerSecond: 1000,
          etaSeconds: 1,
          segments: [{ start: 0, end: data.length - 1, downloaded: offset }],
        });
      }
      if (failure && offset >= failure.atByte) throw failure.error;
    } finally {
      await fh.close();
    }
    observer.onPhase?.('verifying');
    const onDisk = await fsp.readFile(part);
    const sha256 = createHash('sha256').update(onDisk).digest('hex');
    if (request.expectedHash && request.expectedHash !== sha256) {
      await fsp.rm(part, { force: true });
      throw new AppError('ERR_INTEGRITY', 'sha256 mismatch');
    }
    if (signal.aborted) throw abortError(signal);
    await fsp.rename(part, dest);
    return {
      dest,
      bytes: onDisk.length,
      sha256,
      bytesTransferred: data.length - (this.calls.at(-1)?.resumedFrom ?? 0),
      resumed: (this.calls.at(-1)?.resumedFrom ?? 0) > 0,
    };
  }
}
