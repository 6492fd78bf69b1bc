/**
 * The durable job store: one JSON document written through the atomic writer, loaded
 * with migrations, per-job validation and salvage. A damaged store is moved aside with a
 * timestamp (never deleted) and whatever survives is recovered.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write';
import { sweepTempFiles } from './temp-sweep';
import {
  STORE_VERSION,
  documentJobs,
  documentVersion,
  jobRecordSchema,
  migrateJob,
  serializeDocument,
  type StoreDocument,
} from './store-schema';
import type { JobRecord } from './types';

/** File name of the store inside the state directory. */
export const STORE_FILE_NAME = 'jobs.json';

/** What loading found. */
export interface StoreLoadResult {
  doc: StoreDocument;
  /** Set when the file was damaged, unreadable or from a newer version. */
  problem: string | null;
  /** Where the damaged file was moved (null when nothing was moved). */
  movedAside: string | null;
  /** Jobs that could not be recovered. */
  dropped: number;
  /** Whether the loaded document came from an older schema. */
  migratedFrom: number | null;
}

/** Where a damaged store is moved: `<file>.corrupt-<timestamp>` (never overwriting an earlier one). */
export function asidePathFor(file: string, now: number, attempt = 0): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  return `${file}.corrupt-${stamp}${attempt ? `-${attempt}` : ''}`;
}

async function moveAside(file: string, now: number): Promise<string> {
  for (let i = 0; ; i++) {
    const target = asidePathFor(file, now, i);
    try {
      // link + unlink instead of rename: link fails on EEXIST, so no earlier copy is clobbered.
      await fsp.link(file, target);
      await fsp.unlink(file);
      return target;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') {
        await fsp.rename(file, target);
        return target;
      }
      throw err;
    }
  }
}

function validateJobs(rawJobs: unknown[], version: number): { jobs: JobRecord[]; dropped: number } {
  const jobs: JobRecord[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  rawJobs.forEach((raw, i) => {
    const parsed = jobRecordSchema.safeParse(migrateJob(raw, version, i));
    if (!parsed.success || seen.has(parsed.data.id)) {
      dropped++;
      return;
    }
    seen.add(parsed.data.id);
    jobs.push(parsed.data);
  });
  return { jobs, dropped };
}

/**
 * Recover jobs from text that is not valid JSON as a whole (truncated, bit-flipped,
 * half-overwritten). The writer puts one job per line, so each line is tried on its own.
 */
export function salvageJobs(text: string): { jobs: JobRecord[]; dropped: number } {
  const version = Number(/"version"\s*:\s*(\d+)/.exec(text)?.[1] ?? STORE_VERSION);
  const candidates: unknown[] = [];
  let dropped = 0;
  for (const line of text.split('\n')) {
    const t = line.trim().replace(/,$/, '');
    if (!t.startsWith('{') || t.includes('"jobs":[')) continue;
    try {
      candidates.push(JSON.parse(t));
    } catch {
      dropped++;
    }
  }
  const result = validateJobs(candidates, version);
  return { jobs: result.jobs, dropped: dropped + result.dropped };
}

function emptyDoc(now: number): StoreDocument {
  return { version: STORE_VERSION, savedAt: now, nextSeq: 0, jobs: [] };
}

function withSeq(jobs: JobRecord[], nextSeq: unknown, now: number): StoreDocument {
  const maxSeq = jobs.reduce((m, j) => Math.max(m, j.seq + 1), 0);
  const seq = typeof nextSeq === 'number' && Number.isInteger(nextSeq) ? nextSeq : 0;
  return { version: STORE_VERSION, savedAt: now, nextSeq: Math.max(seq, maxSeq), jobs };
}

/** Load the store at `file`; never throws for damaged content (only for unexpected I/O). */
export async function loadJobStore(file: string, now: number): Promise<StoreLoadResult> {
  await sweepTempFiles(file);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return {
        doc: emptyDoc(now),
        problem: null,
        movedAside: null,
        dropped: 0,
        migratedFrom: null,
      };
    }
    const movedAside = await moveAside(file, now).catch(() => null);
    return {
      doc: emptyDoc(now),
      problem: `the job store could not be read (${code ?? String(err)})`,
      movedAside,
      dropped: 0,
      migratedFrom: null,
    };
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const { jobs, dropped } = salvageJobs(text);
    const movedAside = await moveAside(file, now);
    return {
      doc: withSeq(jobs, undefined, now),
      problem: `the job store was damaged; ${jobs.length} job(s) recovered, ${dropped} lost`,
      movedAside,
      dropped,
      migratedFrom: null,
    };
  }

  const version = documentVersion(parsed);
  const rawJobs = documentJobs(parsed);
  if (version === null || rawJobs === null || version > STORE_VERSION) {
    const movedAside = await moveAside(file, now);
    const why =
      version !== null && version > STORE_VERSION
        ? `the job store was written by a newer version (schema ${version})`
        : 'the job store had an unknown format';
    return { doc: emptyDoc(now), problem: why, movedAside, dropped: 0, migratedFrom: null };
  }

  const { jobs, dropped } = validateJobs(rawJobs, version);
  const nextSeq = (parsed as { nextSeq?: unknown }).nextSeq;
  const doc = withSeq(jobs, nextSeq, now);
  const migratedFrom = version < STORE_VERSION ? version : null;
  if (dropped > 0) {
    const movedAside = await moveAside(file, now);
    return {
      doc,
      problem: `the job store was damaged; ${jobs.length} job(s) recovered, ${dropped} lost`,
      movedAside,
      dropped,
      migratedFrom,
    };
  }
  if (migratedFrom !== null) {
    // Keep the pre-migration file: a downgrade or a migration bug must not lose it.
    await fsp.copyFile(file, `${file}.v${migratedFrom}.bak`).catch(() => undefined);
  }
  return { doc, problem: null, movedAside: null, dropped: 0, migratedFrom };
}

/** Write the store document atomically. */
export async function saveJobStore(file: string, doc: StoreDocument): Promise<void> {
  await writeFileAtomic(file, serializeDocument(doc), { mode: 0o600 });
}

/** Path of the store inside a state directory. */
export function storePathIn(stateDir: string): string {
  return join(stateDir, STORE_FILE_NAME);
}
