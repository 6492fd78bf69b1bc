/**
 * One run of one download: resume or first request, parallel segment workers, durable
 * checkpoints, verification and atomic promotion. `SecureDownloader` creates one per call.
 *
 * Invariants (issue 5):
 * - `dest` is only ever touched by the final rename, after size and digest are verified.
 * - Bytes from two versions of the resource are never combined: every ranged request
 *   carries If-Range, every 206 must answer exactly the range asked for and carry the same
 *   validator, and a 200 or a changed validator restarts from zero (part file truncated).
 * - The state file never claims bytes that are not durable in the part file.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SegmentProgress } from '../../preload/contract';
import { AppError } from '../errors';
import { computeRetryDelay } from '../net/retry-delay';
import type { RetryEvent, SecureRequestInit, SecureResponse } from '../net/types';
import { BatchWriter } from './batch-writer';
import { ensureFreeSpace } from './disk-space';
import {
  DownloadAbortedError,
  DownloadHttpError,
  IntegrityError,
  RangeInvalidError,
  SizeMismatchError,
  TooLargeError,
  toDiskError,
} from './errors';
import { FrontierHasher, type StreamHasher } from './frontier-hasher';
import {
  checkContentRange,
  ifRangeValue,
  parseContentLength,
  sameVersion,
  validatorOf,
  type ResourceValidator,
} from './http-validators';
import { digestsEqual, type ExpectedDigest } from './integrity';
import type { SecureDownloadOptions } from './options';
import { PartFile } from './part-file';
import { ProgressMeter } from './progress-meter';
import { WorkerHasher } from './worker-hasher';
import {
  partPathOf,
  readResumeState,
  removePartial,
  statePathOf,
  syncDirectory,
  writeResumeState,
} from './resume-state';
import { pickWork, type SegmentSpan } from './segment-plan';
import type { DownloadPhase, DownloadResult } from './types';

/** The one method of the secure client the downloader needs (SecureClient satisfies it). */
export interface DownloadTransport {
  request(url: string, init?: SecureRequestInit): Promise<SecureResponse>;
}

/** A segment while the job runs: bytes [start, end); `received` fetched, `written` on disk. */
interface LiveSegment {
  start: number;
  end: number;
  /** End (exclusive) of the last range requested; bytes below it are on their way. */
  requested: number;
  received: number;
  written: number;
  busy: boolean;
}

/** Internal signal: the resource changed or cannot be resumed; start again from zero. */
class RestartRequired extends Error {}

/** The connection ended before the segment was complete. */
class ShortBodyError extends AppError {
  constructor(message: string) {
    super('ERR_NETWORK', message, { retryable: true });
  }
}

const MAX_RESTARTS = 3;

/** Codes after which the part file is worthless (hostile or inconsistent server). */
const DISCARD_CODES = new Set([
  'ERR_RANGE_INVALID',
  'ERR_TOO_LARGE',
  'ERR_SIZE_MISMATCH',
  'ERR_INTEGRITY',
]);

function isRetryable(err: unknown): boolean {
  if (err instanceof AppError) return err.retryable;
  // Raw stream errors (ECONNRESET, premature close, 'aborted') are connection drops.
  return err instanceof Error;
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AppError('ERR_NETWORK', `The download failed: ${message}`, {
    retryable: true,
    cause: err,
  });
}

/** Runs one download; see the module comment for its invariants. */
export class DownloadJob {
  private readonly partPath: string;
  private readonly statePath: string;
  private readonly expectedKey: string | null;
  private readonly meter: ProgressMeter;
  private part: PartFile | null = null;
  private hasher: StreamHasher | null = null;
  private segments: LiveSegment[] = [];
  private total: number | null = null;
  private validator: ResourceValidator = { etag: null, lastModified: null };
  private rangeOk = false;
  private resumable = false;
  private requestUrl: string;
  /** End (exclusive) of the first response's bytes. */
  private initialEnd = 0;
  private transferred = 0;
  private resumed = false;
  private round = new AbortController();
  private checkpointQueue: Promise<void> = Promise.resolve();
  private checkpointPending = false;
  private lastCheckpointAt = 0;
  /** Written bytes (all segments) and how many of them the last checkpoint recorded. */
  private writtenBytes = 0;
  private checkpointedBytes = 0;
  private phase: DownloadPhase | null = null;
  private readonly streamingHash: boolean;
  private lastByteAt = performance.now();

  constructor(
    private readonly client: DownloadTransport,
    private readonly url: string,
    private readonly dest: string,
    private readonly options: SecureDownloadOptions,
    private readonly expected: ExpectedDigest | null,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.streamingHash = options.hashStrategy !== 'final-pass';
    this.partPath = partPathOf(dest);
    this.statePath = statePathOf(dest);
    this.requestUrl = url;
    this.expectedKey = expected ? `${expected.algorithm}:${expected.digest.toString('hex')}` : null;
    this.meter = new ProgressMeter(
      {
        total: () => this.total,
        downloaded: () => this.segments.reduce((sum, s) => sum + s.received, 0),
        segments: () => this.segmentProgress(),
      },
      (progress) => this.options.observer.onProgress?.(progress),
      options.progressIntervalMs,
    );
  }

  /** Run to a verified, promoted file or throw a coded error. */
  async run(): Promise<DownloadResult> {
    const onAbort = (): void => this.round.abort(this.signal?.reason);
    let stallTimer: NodeJS.Timeout | null = null;
    this.signal?.addEventListener('abort', onAbort);
    try {
      if (this.signal?.aborted) throw new DownloadAbortedError();
      await mkdir(dirname(this.dest), { recursive: true }).catch((err: unknown) => {
        throw toDiskError(err, 'creating the destination folder');
      });
      this.setPhase('connecting');
      this.meter.start();
      stallTimer = this.startStallWatch();
      for (let restarts = 0; ; restarts++) {
        try {
          const initial = await this.prepare(restarts > 0);
          await this.runWorkers(initial);
          break;
        } catch (err) {
          if (!(err instanceof RestartRequired) || this.signal?.aborted) throw err;
          if (restarts + 1 > MAX_RESTARTS) {
            throw new RangeInvalidError(
              `The resource kept changing while downloading (${err.message}).`,
            );
          }
          await this.resetForRestart();
        }
      }
      return await this.verifyAndPromote();
    } catch (err) {
      throw await this.fail(err);
    } finally {
      if (stallTimer) clearInterval(stallTimer);
      this.signal?.removeEventListener('abort', onAbort);
      this.meter.final();
      await this.hasher?.close();
      await this.part?.close();
    }
  }

  // ---------------------------------------------------------------------------
  // Start: resume from durable state, or ask for the whole file with `Range: bytes=0-`
  // ---------------------------------------------------------------------------

  private async prepare(afterRestart: boolean): Promise<SecureResponse | null> {
    if (this.options.resume && !afterRestart && (await this.tryResume())) return null;
    await removePartial(this.dest);
    const response = await this.firstRequest();
    this.checkAnnouncedSize(this.total);
    if (this.total !== null && this.options.checkFreeSpace) {
      await ensureFreeSpace(dirname(this.dest), this.total);
    }
    this.part = await PartFile.open(this.partPath, true);
    if (this.total !== null) await this.part.preallocate(this.total);
    this.segments = [
      {
        start: 0,
        end: this.total ?? Infinity,
        requested: this.initialEnd,
        received: 0,
        written: 0,
        busy: false,
      },
    ];
    this.writtenBytes = 0;
    this.checkpointedBytes = 0;
    this.hasher = this.newHasher(this.part);
    await this.checkpoint();
    return response;
  }

  /** Adopt `<dest>.part` + state when they describe this URL, expectation and size. */
  private async tryResume(): Promise<boolean> {
    const state = await readResumeState(this.statePath);
    // A state made for another expected digest belongs to another file; one made without a
    // digest is fine, because the final verification covers every byte anyway.
    if (!state || state.url !== this.url) return false;
    if (state.expected !== null && state.expected !== this.expectedKey) return false;
    if (ifRangeValue(state.validator) === null && this.expected === null) return false;
    const part = await PartFile.open(this.partPath, false);
    if ((await part.size()) !== state.total) {
      await part.close();
      return false;
    }
    this.part = part;
    this.total = state.total;
    this.validator = state.validator;
    this.rangeOk = true;
    this.resumable = true;
    this.resumed = state.segments.some((s) => s.done > 0);
    // Only checkpointed bytes are trusted; anything written after the last checkpoint is fetched again.
    this.segments = state.segments.map((s) => ({
      ...s,
      requested: s.start + s.done,
      received: s.done,
      written: s.done,
      busy: false,
    }));
    this.writtenBytes = state.segments.reduce((sum, s) => sum + s.done, 0);
    this.checkpointedBytes = this.writtenBytes;
    this.checkAnnouncedSize(this.total);
    if (this.options.checkFreeSpace) {
      const done = state.segments.reduce((sum, s) => sum + s.done, 0);
      await ensureFreeSpace(dirname(this.dest), this.total - done);
    }
    this.hasher = this.newHasher(part);
    return true;
  }

  private async firstRequest(): Promise<SecureResponse> {
    // A bounded first range: it tells the size (Content-Range) and range support, and no
    // response ever has to be cut off later (cut responses waste what is in flight).
    const chunk = this.options.requestChunkBytes;
    let response = await this.send(this.url, { range: `bytes=0-${chunk - 1}` });
    if (response.status === 416) {
      // Some servers refuse `bytes=0-` for an empty file; ask once more without a range.
      response.body.destroy();
      response = await this.send(this.url, {});
    }
    this.requestUrl = response.url || this.url;
    this.validator = validatorOf(response.headers);
    if (response.status === 206) {
      try {
        const range = checkContentRange(response.headers, { start: 0, end: chunk - 1 }, null);
        this.total = range.total;
        this.initialEnd = range.end + 1;
      } catch (err) {
        response.body.destroy();
        throw err;
      }
      this.rangeOk = true;
    } else if (response.status === 200) {
      this.total = parseContentLength(response.headers);
      this.initialEnd = this.total ?? Infinity;
      this.rangeOk = false;
    } else {
      response.body.destroy();
      throw new DownloadHttpError(response.status, this.url);
    }
    // Resuming is safe only with a validator for If-Range, or a digest that catches a splice.
    this.resumable =
      this.rangeOk &&
      this.total !== null &&
      (ifRangeValue(this.validator) !== null || this.expected !== null);
    if (this.rangeOk && !this.resumable && this.initialEnd < (this.total ?? 0)) {
      // Without a validator (or digest) further ranges could splice two versions: take the
      // whole body in one plain GET instead.
      response.body.destroy();
      const whole = await this.send(this.url, {});
      if (whole.status !== 200) {
        whole.body.destroy();
        throw new DownloadHttpError(whole.status, this.url);
      }
      this.validator = validatorOf(whole.headers);
      this.total = parseContentLength(whole.headers);
      this.initialEnd = this.total ?? Infinity;
      this.rangeOk = false;
      return whole;
    }
    return response;
  }

  /** ERR_TOO_LARGE / ERR_SIZE_MISMATCH from the announced size, before any byte is kept. */
  private checkAnnouncedSize(total: number | null): void {
    if (total === null) return;
    const { expectedSize, maxSize } = this.options;
    if (total > maxSize) {
      throw new TooLargeError(
        `The server announces ${total} bytes, more than the limit of ${maxSize}.`,
        { total, maxSize },
      );
    }
    if (expectedSize !== null && total > expectedSize) {
      throw new TooLargeError(
        `The server announces ${total} bytes, more than the expected ${expectedSize}.`,
        {
          total,
          expectedSize,
        },
      );
    }
    if (expectedSize !== null && total !== expectedSize) {
      throw new SizeMismatchError(
        `The server announces ${total} bytes, not the expected ${expectedSize}.`,
        {
          total,
          expectedSize,
        },
      );
    }
  }

  private send(url: string, headers: Record<string, string>): Promise<SecureResponse> {
    return this.client.request(url, {
      method: 'GET',
      headers: { ...this.options.headers, 'accept-encoding': 'identity', ...headers },
      signal: this.round.signal,
      highWaterMark: this.options.highWaterMark,
      pins: this.options.pins.length > 0 ? this.options.pins : undefined,
      throttle: this.options.throttle,
    });
  }

  private newHasher(part: PartFile): StreamHasher {
    const withSha512 = this.expected?.algorithm === 'sha512';
    if (this.options.hashStrategy !== 'streaming') {
      // 'worker' hashes during the transfer; 'final-pass' hands it everything at the end.
      return new WorkerHasher(this.partPath, (pos) => this.writtenEnd(pos), withSha512);
    }
    return new FrontierHasher(part, (pos) => this.writtenEnd(pos), withSha512);
  }

  // ---------------------------------------------------------------------------
  // Workers: each takes a segment, or half of the largest one, until nothing is left
  // ---------------------------------------------------------------------------

  private async runWorkers(initial: SecureResponse | null): Promise<void> {
    this.lastByteAt = performance.now();
    this.setPhase('downloading');
    if (this.streamingHash) this.hasher?.kick();
    const count = this.resumable ? this.options.connections : 1;
    let firstError: unknown = null;
    const workers: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      workers.push(
        this.worker(i === 0 ? initial : null).catch((err: unknown) => {
          if (firstError === null) firstError = err;
          // Stop the other segments at once; their received bytes are still written.
          this.round.abort(err);
        }),
      );
    }
    await Promise.all(workers);
    if (firstError !== null) throw firstError;
  }

  private async worker(initial: SecureResponse | null): Promise<void> {
    if (initial) {
      const first = this.segments[0];
      first.busy = true;
      try {
        await this.fetchSegment(first, initial);
      } finally {
        first.busy = false;
      }
    }
    for (;;) {
      if (this.round.signal.aborted) return;
      const spans: SegmentSpan[] = this.segments.map((s) => ({
        start: s.start,
        end: s.end,
        done: s.busy ? Math.max(s.received, s.requested - s.start) : s.received,
      }));
      const busy = new Set<number>();
      this.segments.forEach((s, i) => s.busy && busy.add(i));
      const pick = pickWork(spans, busy, this.resumable ? this.options.minSegmentSize : Infinity);
      if (!pick) return;
      let segment: LiveSegment;
      if (pick.kind === 'resume') {
        segment = this.segments[pick.index];
      } else {
        // Dynamic split of the part nobody has asked for yet: the owner's request in flight ends
        // at or before `at`, so no response is cut and no byte is fetched twice.
        const owner = this.segments[pick.index];
        segment = {
          start: pick.at,
          end: owner.end,
          requested: pick.at,
          received: 0,
          written: 0,
          busy: false,
        };
        owner.end = pick.at;
        this.segments.splice(pick.index + 1, 0, segment);
      }
      segment.busy = true;
      try {
        await this.fetchSegment(segment, null);
      } finally {
        segment.busy = false;
      }
    }
  }

  /** Fetch one segment to its (possibly shrinking) end, retrying on its own from where it got. */
  private async fetchSegment(segment: LiveSegment, initial: SecureResponse | null): Promise<void> {
    let response = initial;
    // Where the current response's bytes end (exclusive).
    let responseEnd = initial ? this.initialEnd : segment.start + segment.received;
    let attempt = 0;
    let progressMark = segment.received;
    while (segment.start + segment.received < segment.end) {
      if (this.round.signal.aborted) throw this.round.signal.reason ?? new DownloadAbortedError();
      try {
        if (!response) {
          // Ask for the next bounded chunk; a split may shrink `end` but never below it.
          const from = segment.start + segment.received;
          responseEnd = Math.min(segment.end, from + this.options.requestChunkBytes);
          segment.requested = responseEnd;
          response = await this.requestRange(segment, from, responseEnd);
        }
        await this.pump(segment, response, responseEnd);
        response = null;
        if (segment.start + segment.received >= responseEnd && responseEnd < segment.end) {
          continue; // this chunk is complete; request the next one
        }
        if (segment.end === Infinity) {
          // Unknown length (no Content-Length, no ranges): the end of the stream is the end.
          segment.end = segment.start + segment.received;
          this.total = segment.end;
          return;
        }
        if (segment.start + segment.received < segment.end) {
          throw new ShortBodyError(
            `The connection closed ${segment.end - segment.start - segment.received} bytes early.`,
          );
        }
      } catch (err) {
        response?.body.destroy();
        response = null;
        if (this.round.signal.aborted)
          throw this.signal?.aborted ? new DownloadAbortedError() : err;
        if (err instanceof RestartRequired || !isRetryable(err)) throw err;
        if (!this.resumable) {
          throw new RestartRequired(
            `the connection dropped and the server cannot resume (${String(err)})`,
          );
        }
        // Progress resets the attempt budget, except progress too slow to count: a server that
        // drips a few bytes per low-speed window must run out of attempts, not crawl forever.
        const tooSlow = err instanceof AppError && err.details?.phase === 'lowSpeed';
        if (segment.received > progressMark && !tooSlow) attempt = 0;
        progressMark = segment.received;
        attempt++;
        if (attempt >= this.options.segmentAttempts) throw err;
        const details = err instanceof AppError ? err.details : undefined;
        const delayMs = computeRetryDelay({
          retry: attempt,
          initialDelayMs: this.options.retryInitialDelayMs,
          maxDelayMs: this.options.retryMaxDelayMs,
          retryAfter: typeof details?.retryAfter === 'string' ? details.retryAfter : null,
          maxRetryAfterMs: this.options.retryMaxDelayMs,
          now: Date.now(),
          random: Math.random,
        });
        const reason = err instanceof Error ? err.message : String(err);
        this.setPhase('retrying', {
          retry: {
            url: this.url,
            attempt,
            delayMs,
            reason,
            code: err instanceof AppError ? err.code : null,
            status: typeof details?.status === 'number' ? details.status : null,
          },
        });
        await sleep(delayMs, undefined, { signal: this.round.signal }).catch(() => undefined);
        this.setPhase('downloading');
      }
    }
    // An empty file (or a resumed, complete segment) never reads its response: release it.
    response?.body.resume();
  }

  /** Ask for the rest of a segment with If-Range, and accept only the exact range of the same version. */
  private async requestRange(
    segment: LiveSegment,
    from: number,
    end: number,
  ): Promise<SecureResponse> {
    const to = end - 1;
    const headers: Record<string, string> = { range: `bytes=${from}-${to}` };
    const validator = ifRangeValue(this.validator);
    if (validator !== null) headers['if-range'] = validator;
    const response = await this.send(this.requestUrl, headers);
    if (response.status === 206) {
      try {
        checkContentRange(response.headers, { start: from, end: to }, this.total);
      } catch (err) {
        response.body.destroy();
        throw err;
      }
      if (!sameVersion(this.validator, response.headers)) {
        response.body.destroy();
        throw new RestartRequired('the validator changed');
      }
      return response;
    }
    response.body.destroy();
    // 200: If-Range failed (new version) or ranges are gone; 416: the file shrank. Never splice.
    if (response.status === 200 || response.status === 416) {
      throw new RestartRequired(`the server answered ${response.status} to a range request`);
    }
    throw new DownloadHttpError(response.status, this.url, response.headers['retry-after'] ?? null);
  }

  /** Stream a response body into the part file at the segment's write head. */
  private async pump(
    segment: LiveSegment,
    response: SecureResponse,
    responseEnd: number,
  ): Promise<void> {
    const part = this.part;
    if (!part) throw new Error('internal: part file not open');
    const cap = Math.min(this.options.maxSize, this.options.expectedSize ?? Infinity);
    const writer = new BatchWriter(
      part,
      segment.start + segment.received,
      this.options.writeBatchBytes,
      (at, buffers, bytes) => {
        segment.written += bytes;
        this.writtenBytes += bytes;
        if (this.streamingHash) this.hasher?.onWritten(at, buffers);
        this.maybeCheckpoint();
      },
    );
    const body = response.body;
    // Event-driven rather than `for await`: the async iterator concatenates the stream buffer
    // into a fresh Buffer on every read, which doubles copying and GC work at 1 GB/s.
    const failure = await new Promise<unknown>((resolve) => {
      let settled = false;
      const done = (err: unknown): void => {
        if (settled) return;
        settled = true;
        body.off('data', onData);
        body.off('end', onEnd);
        body.off('error', done);
        body.off('close', onClose);
        if (err !== null || !body.readableEnded) body.destroy();
        resolve(err);
      };
      const onEnd = (): void => done(null);
      const onClose = (): void =>
        done(body.readableEnded ? null : new ShortBodyError('The connection closed early.'));
      const onData = (chunk: Buffer): void => {
        if (settled) return;
        let data = chunk;
        const limit = Math.min(segment.end, responseEnd);
        const room = limit - segment.start - segment.received;
        if (data.length > room) data = data.subarray(0, room);
        if (segment.end === Infinity && segment.received + data.length > cap) {
          // Endless-data attack: cut the connection at the cap and keep nothing.
          done(
            new TooLargeError(`The server sent more than ${cap} bytes; the transfer was cut off.`, {
              cap,
            }),
          );
          return;
        }
        segment.received += data.length;
        this.transferred += data.length;
        this.lastByteAt = performance.now();
        if (this.phase === 'stalled') this.setPhase('downloading');
        this.meter.add(data.length);
        const wait = writer.push(data);
        if (segment.start + segment.received >= limit) {
          // The response ends here too: let it end, so its socket returns to the keep-alive pool.
          if (limit === responseEnd) return;
          // The segment ends before the response does (cannot happen with bounded requests,
          // kept as a guard): cut this response off.
          done(null);
          return;
        }
        if (wait) {
          body.pause();
          wait.then(
            () => {
              if (!settled) body.resume();
            },
            (err: unknown) => done(err),
          );
        }
      };
      body.on('data', onData);
      body.once('end', onEnd);
      body.on('error', done);
      body.once('close', onClose);
      // The client may hand over a paused stream; a 'data' listener alone does not restart it.
      body.resume();
      if (body.destroyed)
        done(
          body.errored ??
            (body.readableEnded ? null : new ShortBodyError('The connection closed early.')),
        );
    });
    // Whatever arrived is written, so a retry continues exactly at `received`.
    await writer.drain();
    if (failure !== null) throw failure;
  }

  /** End of the contiguous written bytes starting at `pos`. */
  private writtenEnd(pos: number): number {
    let p = pos;
    for (;;) {
      const s = this.segments.find((seg) => seg.start <= p && p < seg.start + seg.written);
      if (!s) return p;
      p = s.start + s.written;
    }
  }

  // ---------------------------------------------------------------------------
  // Checkpoints
  // ---------------------------------------------------------------------------

  /**
   * Checkpoint once a second, or sooner when more than `checkpointFraction` of the file is
   * unsaved: on a fast link a second is hundreds of MB, and a kill -9 would lose all of it.
   */
  private maybeCheckpoint(): void {
    if (this.checkpointPending) return;
    const unsaved = this.writtenBytes - this.checkpointedBytes;
    const byBytes =
      this.total !== null &&
      unsaved >= Math.max(1024 * 1024, this.total * this.options.checkpointFraction);
    if (!byBytes && performance.now() - this.lastCheckpointAt < this.options.checkpointIntervalMs)
      return;
    this.checkpointPending = true;
    // A failed background checkpoint leaves the previous (still true) state in place.
    this.checkpoint()
      .catch(() => undefined)
      .finally(() => {
        this.checkpointPending = false;
      });
  }

  /** Queue a checkpoint: checkpoints run one at a time, each recording the state when it starts. */
  private checkpoint(): Promise<void> {
    const run = this.checkpointQueue.then(() => this.writeCheckpoint());
    this.checkpointQueue = run.catch(() => undefined);
    return run;
  }

  /** Make written bytes durable, then record them; a no-op when nothing can resume. */
  private async writeCheckpoint(): Promise<void> {
    const part = this.part;
    if (!part || !this.resumable || this.total === null) return;
    const total = this.total;
    // Snapshot `written` before the sync: those bytes are in the page cache, the sync makes them durable.
    const segments = this.segments.map((s) => ({ start: s.start, end: s.end, done: s.written }));
    const writtenBytes = this.writtenBytes;
    this.lastCheckpointAt = performance.now();
    await part.sync();
    await writeResumeState(this.statePath, {
      version: 1,
      url: this.url,
      total,
      validator: this.validator,
      expected: this.expectedKey,
      segments,
      updatedAt: new Date().toISOString(),
    }).catch((err: unknown) => {
      throw toDiskError(err, 'saving the resume state');
    });
    this.checkpointedBytes = writtenBytes;
  }

  private async resetForRestart(): Promise<void> {
    await this.checkpointQueue;
    await this.hasher?.close();
    await this.part?.close();
    this.part = null;
    this.hasher = null;
    this.segments = [];
    this.total = null;
    this.rangeOk = false;
    this.resumable = false;
    // The caller's abort listener reads `this.round` when it fires, so it reaches the new round.
    this.round = new AbortController();
    if (this.signal?.aborted) throw new DownloadAbortedError();
    // State first: a crash between the two deletes leaves no state claiming bytes.
    await removePartial(this.dest);
    this.setPhase('connecting');
  }

  // ---------------------------------------------------------------------------
  // Verify and promote
  // ---------------------------------------------------------------------------

  private async verifyAndPromote(): Promise<DownloadResult> {
    const part = this.part;
    const hasher = this.hasher;
    if (!part || !hasher || this.total === null) throw new Error('internal: nothing downloaded');
    this.setPhase('verifying');
    await this.checkpoint();
    const total = this.total;
    if (this.options.expectedSize !== null && total !== this.options.expectedSize) {
      throw new SizeMismatchError(
        `Received ${total} bytes, not the expected ${this.options.expectedSize}.`,
        {
          total,
          expectedSize: this.options.expectedSize,
        },
      );
    }
    if ((await part.size()) !== total) {
      throw new SizeMismatchError(`The part file holds ${await part.size()} bytes, not ${total}.`);
    }
    const digests = await hasher.finish(total);
    if (this.expected) {
      const actual = this.expected.algorithm === 'sha512' ? digests.sha512 : digests.sha256;
      if (!actual || !digestsEqual(actual, this.expected.digest)) {
        const where = await this.disposeCorrupt();
        throw new IntegrityError(
          `The ${this.expected.algorithm} of the download is ${actual?.toString('hex') ?? '?'}, expected ` +
            `${this.expected.digest.toString('hex')}. ${where}`,
          { details: { algorithm: this.expected.algorithm, actual: actual?.toString('hex') } },
        );
      }
    }
    try {
      await part.sync();
      await part.close();
      await rename(this.partPath, this.dest);
      await syncDirectory(dirname(this.dest));
      await rm(this.statePath, { force: true });
    } catch (err) {
      throw toDiskError(err, 'promoting the verified file');
    }
    const result: DownloadResult = {
      dest: this.dest,
      bytes: total,
      sha256: digests.sha256.toString('hex'),
      bytesTransferred: this.transferred,
      resumed: this.resumed,
    };
    if (digests.sha512) result.sha512 = digests.sha512.toString('hex');
    return result;
  }

  /** Delete or quarantine a part file that failed verification; returns a sentence for the message. */
  private async disposeCorrupt(): Promise<string> {
    await this.part?.close();
    await rm(this.statePath, { force: true });
    if (this.options.onIntegrityFailure === 'quarantine') {
      const target = `${this.dest}.quarantine-${Date.now()}`;
      await rename(this.partPath, target);
      return `It was quarantined at ${target}.`;
    }
    await rm(this.partPath, { force: true });
    return 'It was deleted.';
  }

  /** Turn any failure into a coded error; keep resumable data unless it cannot be trusted. */
  private async fail(err: unknown): Promise<AppError> {
    let error =
      err instanceof RestartRequired ? new RangeInvalidError(err.message) : toAppError(err);
    if (this.signal?.aborted) error = new DownloadAbortedError();
    if (DISCARD_CODES.has(error.code)) {
      await this.part?.close();
      await removePartial(this.dest).catch(() => undefined);
      if (error.code === 'ERR_INTEGRITY') return error;
    } else {
      await this.checkpoint().catch(() => undefined);
    }
    return error;
  }

  private setPhase(
    phase: DownloadPhase,
    info?: { retry?: RetryEvent; stalledSince?: number },
  ): void {
    if (phase === this.phase && phase !== 'retrying') return;
    this.phase = phase;
    try {
      this.options.observer.onPhase?.(phase, info);
    } catch {
      // Observers cannot break the download.
    }
    if (phase === 'retrying') this.checkpoint().catch(() => undefined);
  }

  /** Report 'stalled' while no byte has arrived for `stallAfterMs` (back to 'downloading' on the next one). */
  private startStallWatch(): NodeJS.Timeout | null {
    const after = this.options.stallAfterMs;
    if (after <= 0) return null;
    const timer = setInterval(
      () => {
        const quiet = performance.now() - this.lastByteAt;
        if (this.phase === 'downloading' && quiet >= after) {
          this.setPhase('stalled', { stalledSince: Date.now() - Math.round(quiet) });
        }
      },
      Math.max(10, Math.min(1000, Math.floor(after / 4))),
    );
    timer.unref();
    return timer;
  }

  private segmentProgress(): SegmentProgress[] {
    return this.segments.map((s) => ({
      start: s.start,
      end: Number.isFinite(s.end) ? s.end - 1 : s.start + s.received - 1,
      downloaded: s.received,
    }));
  }
}
