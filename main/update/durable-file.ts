/** Crash-safe JSON files for install state and the install journal. */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';

/**
 * Write JSON so that a crash leaves either the old or the new content: write a temp
 * file, fsync it, rename over the target, then fsync the folder so the rename itself
 * survives power loss (the journal's ordering guarantees depend on it).
 */
export async function writeJsonDurable(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(value, null, 2) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  await syncDir(dirname(file));
}

/** fsync a folder (best effort: not supported on Windows). */
export async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // EISDIR/EPERM on platforms that cannot fsync folders.
  }
}

/** Read JSON, or null when the file does not exist. Corrupt files throw. */
export async function readJsonOrNull<T>(file: string): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return JSON.parse(text) as T;
}

/** Remove a file durably. */
export async function removeDurable(file: string): Promise<void> {
  await rm(file, { force: true });
  await syncDir(dirname(file));
}
