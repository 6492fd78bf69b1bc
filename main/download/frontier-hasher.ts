/**
 * Hash the file in order while segments arrive out of order. Bytes written exactly at the
 * hash frontier are hashed straight from memory (no re-read); when the frontier lands on
 * data another segment already wrote, it catches up by reading the part file (from the
 * page cache) until it reaches that segment's write head, then follows it from memory again.
 * On resume the checkpointed ranges are hashed the same way, so the digest always covers
 * exactly the bytes that will be promoted.
 */
import { FileHasher } from './integrity';
import type { PartFile } from './part-file';

/** Where contiguous written data starting at `pos` ends (returns `pos` when none is written there). */
export type WrittenEnd = (pos: number) => number;

/** What the download job needs from a hasher (FrontierHasher in-thread, WorkerHasher off-thread). */
export interface StreamHasher {
  /** A batch of `buffers` reached the part file at `position`. */
  onWritten(position: number, buffers: readonly Buffer[]): void;
  /** Hash whatever is contiguously written at the frontier. */
  kick(): void;
  /** Hash everything up to `total`; the digests. */
  finish(total: number): Promise<{ sha256: Buffer; sha512: Buffer | null }>;
  /** Release resources (safe to call twice). */
  close(): Promise<void>;
}

const CATCH_UP_CHUNK = 4 * 1024 * 1024;

/** Hashes [0, total) in order from memory where possible, else from the part file. */
export class FrontierHasher implements StreamHasher {
  readonly hasher: FileHasher;
  private catchingUp: Promise<void> | null = null;
  private failure: unknown = null;
  private readonly buffer: Buffer;
  /** Bytes hashed from the file instead of memory (for benchmarks and tests). */
  reread = 0;

  constructor(
    private readonly part: PartFile,
    private readonly writtenEnd: WrittenEnd,
    withSha512: boolean,
  ) {
    this.hasher = new FileHasher(withSha512);
    this.buffer = Buffer.allocUnsafe(CATCH_UP_CHUNK);
  }

  /** Bytes hashed so far. */
  get position(): number {
    return this.hasher.position;
  }

  /** Report a completed write; hashed at once when it starts at the frontier. */
  onWritten(position: number, buffers: readonly Buffer[]): void {
    if (this.catchingUp === null && position === this.hasher.position) {
      for (const b of buffers) this.hasher.update(b);
    }
    this.kick();
  }

  /** Start catching up from the file if written data lies at the frontier. */
  kick(): void {
    if (this.catchingUp !== null || this.failure !== null) return;
    if (this.writtenEnd(this.hasher.position) <= this.hasher.position) return;
    this.catchingUp = this.catchUp()
      .catch((err: unknown) => {
        this.failure = err;
      })
      .finally(() => {
        this.catchingUp = null;
      });
  }

  /** Wait for any catch-up, then hash everything written up to `total`; returns the digests. */
  async finish(total: number): Promise<{ sha256: Buffer; sha512: Buffer | null }> {
    while (this.catchingUp) await this.catchingUp;
    if (this.failure) throw this.failure;
    await this.catchUp();
    if (this.hasher.position !== total) {
      throw new Error(`internal: hashed ${this.hasher.position} of ${total} bytes`);
    }
    return this.hasher.digest();
  }

  /** Nothing to release (the part file belongs to the job). */
  async close(): Promise<void> {
    // Wait out a catch-up still reading the part file before the job closes it.
    while (this.catchingUp) await this.catchingUp;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const from = this.hasher.position;
      const until = this.writtenEnd(from);
      if (until <= from) return;
      const want = Math.min(until - from, this.buffer.length);
      const got = await this.part.readAt(this.buffer.subarray(0, want), from);
      if (got <= 0) throw new Error(`internal: part file ended at ${from}`);
      this.hasher.update(this.buffer.subarray(0, got));
      this.reread += got;
    }
  }
}
