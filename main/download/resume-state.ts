/**
 * Durable resume state beside the part file (`<dest>.part.json`). A checkpoint first
 * fdatasyncs the part file, then writes the state to a temp file, fsyncs it, renames it
 * over the old one and fsyncs the directory. So after a crash (kill -9, power loss) the
 * state on disk never claims bytes that are not durable in the part file; on resume only
 * those checkpointed ranges are trusted and everything else is fetched again.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { isValidCover, type SegmentSpan } from './segment-plan';
import type { ResourceValidator } from './http-validators';

/** What a checkpoint records. */
export interface ResumeState {
  version: 1;
  url: string;
  total: number;
  validator: ResourceValidator;
  /** `algorithm:hex` of the expected digest, or null; a different expectation discards the state. */
  expected: string | null;
  segments: SegmentSpan[];
  updatedAt: string;
}

const stateSchema = z.object({
  version: z.literal(1),
  url: z.string(),
  total: z.number().int().nonnegative(),
  validator: z.object({ etag: z.string().nullable(), lastModified: z.string().nullable() }),
  expected: z.string().nullable(),
  segments: z.array(
    z.object({ start: z.number().int(), end: z.number().int(), done: z.number().int() }),
  ),
  updatedAt: z.string(),
});

/** Path of the part file for `dest`. */
export function partPathOf(dest: string): string {
  return `${dest}.part`;
}

/** Path of the resume state for `dest`. */
export function statePathOf(dest: string): string {
  return `${dest}.part.json`;
}

/** Read the state; null when missing, unparsable or not a valid cover of the file. */
export async function readResumeState(path: string): Promise<ResumeState | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return null;
    const state = parsed.data as ResumeState;
    return isValidCover(state.segments, state.total) ? state : null;
  } catch {
    return null;
  }
}

/** Write the state atomically and durably (temp file + fsync + rename + directory fsync). */
export async function writeResumeState(path: string, state: ResumeState): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(state));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  await syncDirectory(dirname(path));
}

/** Fsync a directory so a rename inside it survives a crash (best effort where unsupported). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    await handle?.close();
  }
}

/** Remove the part file and its state (after promotion, or to start over). */
export async function removePartial(dest: string): Promise<void> {
  await rm(statePathOf(dest), { force: true });
  await rm(`${statePathOf(dest)}.tmp`, { force: true });
  await rm(partPathOf(dest), { force: true });
}
