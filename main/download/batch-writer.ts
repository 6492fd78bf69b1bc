/**
 * Gathers a segment's received chunks into large positional writes, with one write in
 * flight while the next batch fills (double buffering). Few large writes instead of one per
 * 16 KiB TLS record is most of the difference to a naive pipe.
 *
 * Chunks are copied into two reusable batch buffers instead of being kept in a list: the
 * socket's chunks then die young (a cheap scavenge) instead of surviving until their write
 * completes, which the profile showed as most of the garbage collector's time at 1 GB/s.
 */
import type { PartFile } from './part-file';

/** Called after a batch is on disk (page cache): position, the buffers and their length. */
export type WrittenCallback = (position: number, buffers: Buffer[], bytes: number) => void;

/** Batches one segment's sequential bytes into positional writes. */
export class BatchWriter {
  private filling: Buffer | null = null;
  private spare: Buffer | null = null;
  private fill = 0;
  private inflight: Promise<void> | null = null;
  /** A push that is waiting for the write in flight (the caller's source is paused). */
  private waiting: Promise<void> | null = null;
  private batchStartedAt = 0;

  constructor(
    private readonly part: PartFile,
    private position: number,
    private readonly maxBatchBytes: number,
    private readonly onWritten: WrittenCallback,
    private readonly maxBatchAgeMs = 250,
  ) {}

  /**
   * Queue a chunk. Returns null to continue at once, or a promise to await (backpressure)
   * when a full batch must wait for the previous write. A batch is also written once it is
   * `maxBatchAgeMs` old, so a slow link still reaches the disk (and the resume checkpoint)
   * steadily instead of holding megabytes in memory.
   */
  push(chunk: Buffer): Promise<void> | null {
    // A chunk pushed while an earlier one waits queues behind it, so bytes stay in order.
    const p = this.waiting
      ? this.waiting.then(() => this.pushNow(chunk) ?? undefined)
      : this.pushNow(chunk);
    return p === null ? null : this.wait(p);
  }

  private pushNow(chunk: Buffer): Promise<void> | null {
    let offset = 0;
    while (offset < chunk.length) {
      const now = performance.now();
      if (this.fill === 0) this.batchStartedAt = now;
      const target = this.target();
      const n = chunk.copy(target, this.fill, offset);
      this.fill += n;
      offset += n;
      const old = now - this.batchStartedAt >= this.maxBatchAgeMs && this.inflight === null;
      if (this.fill < this.maxBatchBytes && !old) continue;
      if (!this.inflight) {
        this.startWrite();
        continue;
      }
      // A full batch waits for the previous write: the caller pauses its source meanwhile.
      const rest = offset < chunk.length ? chunk.subarray(offset) : null;
      return this.inflight.then(() => {
        this.startWrite();
        if (rest) return this.pushNow(rest) ?? undefined;
        return undefined;
      });
    }
    return null;
  }

  /** Write everything queued and wait for it. */
  async drain(): Promise<void> {
    // Loop: a waiting push may start another write when the one in flight completes.
    for (;;) {
      if (this.waiting) await this.waiting;
      else if (this.inflight) await this.inflight;
      else if (this.fill > 0) this.startWrite();
      else return;
    }
  }

  /** Remember `p` as the tail of pending pushes until it settles. */
  private wait(p: Promise<void>): Promise<void> {
    this.waiting = p;
    p.then(
      () => {
        if (this.waiting === p) this.waiting = null;
      },
      () => undefined,
    );
    return p;
  }

  /** The buffer being filled (allocated on first use, so an idle writer costs nothing). */
  private target(): Buffer {
    this.filling ??= this.spare ?? Buffer.allocUnsafe(this.maxBatchBytes);
    if (this.filling === this.spare) this.spare = null;
    return this.filling;
  }

  private startWrite(): void {
    const buffer = this.filling;
    if (!buffer) return;
    const bytes = this.fill;
    const at = this.position;
    this.filling = null;
    this.fill = 0;
    this.position += bytes;
    const view = buffer.subarray(0, bytes);
    const write = this.part.writeAt([view], at).then(() => {
      if (this.inflight === write) this.inflight = null;
      // The callback reads the bytes synchronously (hashing); only then is the buffer reused.
      this.onWritten(at, [view], bytes);
      this.spare = buffer;
    });
    // Mark handled now: the rejection is re-thrown to whoever awaits it next (push/drain),
    // but must not count as unhandled while the segment is waiting on the network.
    write.catch(() => undefined);
    this.inflight = write;
  }
}
