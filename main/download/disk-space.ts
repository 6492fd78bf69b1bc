/** Free-space check before a download starts (ERR_DISK_FULL instead of a half-written file). */
import { statfs } from 'node:fs/promises';
import { DiskFullError } from './errors';

/** Bytes available to an unprivileged writer on the file system holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

/** Throw ERR_DISK_FULL when `dir` has less than `needed` bytes free. */
export async function ensureFreeSpace(dir: string, needed: number): Promise<void> {
  if (needed <= 0) return;
  const free = await freeBytes(dir);
  if (free < needed) {
    throw new DiskFullError(
      `The download needs ${needed} bytes but only ${free} are free in ${dir}.`,
      {
        details: { needed, free, dir },
      },
    );
  }
}
