/**
 * Gathers a segment's received chunks into large positional writes, with one write in
 * flight while the next batch fills (double buffering). Few large writev calls instead of
 * one per 16 KiB TLS record is most of the difference to a naive pipe.
 */
import type { PartFile } from './part-file';

/** Called after a batch is on disk (page cache): position, the buffers and their length. */
export type WrittenCallback = (position: number, buffers: Buffer[], bytes: number) => void;

/** Batches one segment's sequential bytes into positional writes. */
export class BatchWriter {
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private inflight: Promise<void> | null = null;
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
   * when a full batch must wait for the previous write. Waits only when a full batch must wait for the previous write. A batch is
   * also written once it is `maxBatchAgeMs` old, so a slow link still reaches the disk (and
   * the resume checkpoint) steadily instead of holding megabytes in memory.
   */
  push(chunk: Buffer): Promise<void> | null {
    const now = performance.now();
    if (this.batchBytes === 0) this.batchStartedAt = now;
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    const old = now - this.batchStartedAt >= this.maxBatchAgeMs && this.inflight === null;
    if (this.batchBytes < this.maxBatchBytes && !old) return null;
    if (!this.inflight) {
      this.startWrite();
      return null;
    }
    // A full batch waits for the previous write: the caller pauses its source meanwhile.
    return this.inflight.then(() => this.startWrite());
  }

  /** Write everything queued and wait for it. */
  async drain(): Promise<void> {
    if (this.inflight) await this.inflight;
    if (this.batchBytes > 0) {
      this.startWrite();
      await this.inflight;
    }
    this.inflight = null;
  }

  private startWrite(): void {
    const buffers = this.batch;
    const bytes = this.batchBytes;
    const at = this.position;
    this.batch = [];
    this.batchBytes = 0;
    this.position += bytes;
    const write = this.part.writeAt(buffers, at).then(() => {
      if (this.inflight === write) this.inflight = null;
      this.onWritten(at, buffers, bytes);
    });
    // Mark handled now: the rejection is re-thrown to whoever awaits it next (push/drain),
    // but must not count as unhandled while the segment is waiting on the network.
    write.catch(() => undefined);
    this.inflight = write;
  }
}
