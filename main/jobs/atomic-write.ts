/**
 * Crash-safe file replacement: write a temp file in the same directory, fsync it,
 * rename it over the target, then fsync the directory.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Prefix of temp files the atomic writer leaves behind if the process dies mid-write. */
export const TEMP_MARKER = '.tmp-';

/** The temp-file name used for one write of `target`. */
export function tempPathFor(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

/**
 * Replace `target` with `data` atomically and durably.
 *
 * Why each step: POSIX rename() within one directory is atomic, so a reader (or a restart
 * after kill -9 / power loss) sees either the old or the new file, never a mix. The fsync
 * of the temp file before the rename makes sure the new name never points at data that
 * is still only in the page cache (ext4 delayed allocation would otherwise give a
 * zero-length file after a power cut), and the directory fsync makes the rename itself
 * durable. A crash between write and rename leaves the old file plus a stray temp file,
 * which the loader ignores and sweeps.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(target);
  const fh = await fsp.open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  try {
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dirname(target));
}

/** fsync a directory so a rename or unlink in it survives a crash (best effort on platforms without it). */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch (err) {
    // Windows cannot open or fsync directories; rename there is already durable enough.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Delete temp files a crashed writer left next to `target`; returns how many were removed. */
export async function sweepTempFiles(target: string): Promise<number> {
  const prefix = `.${basename(target)}${TEMP_MARKER}`;
  let removed = 0;
  for (const name of await fsp.readdir(dirname(target)).catch(() => [] as string[])) {
    if (name.startsWith(prefix)) {
      await fsp.rm(join(dirname(target), name), { force: true });
      removed++;
    }
  }
  return removed;
}
