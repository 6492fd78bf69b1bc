/**
 * A Transform that paces the bytes passing through it by one or more token buckets (the
 * global limit and the job's group). Big chunks are cut into slices of at most ~20 ms of
 * budget so limits changed at runtime take effect quickly. Backpressure does the rest:
 * while we wait, the socket is not read and TCP slows the sender down.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { TokenBucket } from './throttle-bucket';

const MIN_SLICE = 4 * 1024;
const MAX_SLICE = 256 * 1024;

/** Paces a byte stream by `buckets` (all must allow each slice). */
export class ThrottleStream extends Transform {
  private timer: NodeJS.Timeout | null = null;
  private pendingCallback: TransformCallback | null = null;

  constructor(
    private readonly buckets: readonly TokenBucket[],
    highWaterMark?: number,
  ) {
    super(highWaterMark ? { highWaterMark } : {});
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.pendingCallback = callback;
    this.sendFrom(chunk, 0);
  }

  private sliceSize(): number {
    let rate = Infinity;
    for (const b of this.buckets) if (b.limit !== null) rate = Math.min(rate, b.limit);
    if (rate === Infinity) return Number.MAX_SAFE_INTEGER;
    return Math.min(MAX_SLICE, Math.max(MIN_SLICE, Math.floor(rate / 50)));
  }

  private sendFrom(chunk: Buffer, offset: number): void {
    if (this.destroyed) return;
    if (offset >= chunk.length) {
      const cb = this.pendingCallback;
      this.pendingCallback = null;
      cb?.();
      return;
    }
    const end = Math.min(chunk.length, offset + this.sliceSize());
    const slice = offset === 0 && end === chunk.length ? chunk : chunk.subarray(offset, end);
    let wait = 0;
    for (const b of this.buckets) wait = Math.max(wait, b.reserve(slice.length));
    const go = (): void => {
      this.timer = null;
      if (this.destroyed) return;
      this.push(slice);
      this.sendFrom(chunk, end);
    };
    // Sub-millisecond waits are paid back by the bucket's burst allowance; don't sleep.
    if (wait < 1) go();
    else this.timer = setTimeout(go, wait);
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pendingCallback = null;
    callback(err);
  }
}
