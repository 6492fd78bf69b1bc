/**
 * The `<dest>.part` file: preallocated to the final size (sparse, via ftruncate) and written
 * with positional vectored writes, so parallel segments never share a file offset.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { toDiskError } from './errors';

/** An open part file. Every method maps ENOSPC to ERR_DISK_FULL. */
export class PartFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** Open (creating if needed) the part file; `truncate` empties it first. */
  static async open(path: string, truncate: boolean): Promise<PartFile> {
    try {
      const handle = await open(path, truncate ? 'w+' : 'r+').catch(
        async (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return open(path, 'w+');
          throw err;
        },
      );
      return new PartFile(path, handle);
    } catch (err) {
      throw toDiskError(err, `opening ${path}`);
    }
  }

  /** Current size on disk (including sparse holes). */
  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  /** Set the file length to `size` (sparse preallocation; also truncates on restart). */
  async preallocate(size: number): Promise<void> {
    try {
      await this.handle.truncate(size);
    } catch (err) {
      throw toDiskError(err, 'preallocating the part file');
    }
  }

  /** Write `buffers` contiguously at `position`, looping over short writes. */
  async writeAt(buffers: Buffer[], position: number): Promise<void> {
    let pending = buffers;
    let pos = position;
    try {
      while (pending.length > 0) {
        const { bytesWritten } = await this.handle.writev(pending, pos);
        pos += bytesWritten;
        pending = dropBytes(pending, bytesWritten);
        if (bytesWritten === 0 && pending.length > 0)
          throw Object.assign(new Error('short write'), { code: 'EIO' });
      }
    } catch (err) {
      throw toDiskError(err, 'writing the part file');
    }
  }

  /** Read into `buffer` from `position`; returns bytes read. */
  async readAt(buffer: Buffer, position: number): Promise<number> {
    try {
      const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, position);
      return bytesRead;
    } catch (err) {
      throw toDiskError(err, 'reading the part file');
    }
  }

  /** Flush data to stable storage (the checkpoint's durability point). */
  async sync(): Promise<void> {
    try {
      await this.handle.datasync();
    } catch (err) {
      throw toDiskError(err, 'syncing the part file');
    }
  }

  /** Close the handle; safe to call twice. */
  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/** Drop the first `count` bytes from a list of buffers (without copying the rest). */
export function dropBytes(buffers: Buffer[], count: number): Buffer[] {
  let left = count;
  const out: Buffer[] = [];
  for (const buf of buffers) {
    if (left >= buf.length) {
      left -= buf.length;
      continue;
    }
    out.push(left > 0 ? buf.subarray(left) : buf);
    left = 0;
  }
  return out;
}
