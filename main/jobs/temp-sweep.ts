/**
 * Clean-up of temp files that the atomic writer (main/util/atomic-write.ts) leaves behind
 * when the process dies between writing the temp file and renaming it over the target.
 */
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Whether `name` is a temp file of an atomic write of `target` (`.<base>.<pid>.<hex>.tmp`). */
export function isTempFileOf(target: string, name: string): boolean {
  return name.startsWith(`.${basename(target)}.`) && name.endsWith('.tmp');
}

/** Delete temp files a crashed writer left next to `target`; returns how many were removed. */
export async function sweepTempFiles(target: string): Promise<number> {
  let removed = 0;
  for (const name of await fsp.readdir(dirname(target)).catch(() => [] as string[])) {
    if (isTempFileOf(target, name)) {
      await fsp.rm(join(dirname(target), name), { force: true });
      removed++;
    }
  }
  return removed;
}
