/**
 * The job store's on-disk schema (current version), its runtime validation and the
 * migrations from older versions. Migrations work per job, so a damaged store can be
 * salvaged job by job.
 */
import { z } from 'zod';
import { JOB_STATES } from '../../preload/contract';
import type { JobRecord } from './types';

/** The schema version this build writes. */
export const STORE_VERSION = 2;

const errorPayload = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const range = z
  .tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])
  .refine(([s, e]) => e >= s, 'range end before start');

/** Runtime schema of one v2 job record; a job failing it is dropped (and reported). */
export const jobRecordSchema = z.object({
  id: z.string().min(1).max(128),
  url: z.string().refine((s) => {
    try {
      return new URL(s).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an https URL'),
  dest: z.string().min(1),
  label: z.string().nullable(),
  component: z.string().nullable(),
  priority: z.number().int(),
  seq: z.number().int().nonnegative(),
  state: z.enum(JOB_STATES),
  pauseReason: z.enum(['user', 'interrupted', 'disk-full', 'offline']).nullable(),
  error: errorPayload.nullable(),
  attempt: z.number().int().nonnegative(),
  nextAttemptAt: z.number().nullable(),
  retryReason: z.string().nullable(),
  stalledSince: z.number().nullable(),
  total: z.number().int().nonnegative().nullable(),
  downloaded: z.number().int().nonnegative(),
  connections: z.number().int().min(1).max(16).nullable(),
  expectedHash: z.string().nullable(),
  expected: z.object({
    size: z.number().int().nonnegative().nullable(),
    algorithm: z.enum(['sha256', 'sha512']).nullable(),
    digest: z.string().nullable(),
  }),
  policy: z.object({ pins: z.array(z.string()) }),
  checkpoint: z
    .object({
      ranges: z.array(range),
      total: z.number().int().nonnegative().nullable(),
      at: z.number(),
    })
    .nullable(),
  sha256: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
}) satisfies z.ZodType<JobRecord>;

/** The whole store document as written. */
export interface StoreDocument {
  version: number;
  savedAt: number;
  nextSeq: number;
  jobs: JobRecord[];
}

type Raw = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Parse a hex or SRI expected hash into algorithm + lowercase hex digest (null if unknown). */
export function describeExpectedHash(hash: string | null): {
  algorithm: 'sha256' | 'sha512' | null;
  digest: string | null;
} {
  if (!hash) return { algorithm: null, digest: null };
  const sri = /^(sha256|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(hash.trim());
  if (sri) {
    return {
      algorithm: sri[1] as 'sha256' | 'sha512',
      digest: Buffer.from(sri[2], 'base64').toString('hex'),
    };
  }
  const hex = hash
    .trim()
    .replace(/^(sha256|sha512)[:=]/i, '')
    .toLowerCase();
  if (/^[0-9a-f]{64}$/.test(hex)) return { algorithm: 'sha256', digest: hex };
  if (/^[0-9a-f]{128}$/.test(hex)) return { algorithm: 'sha512', digest: hex };
  return { algorithm: null, digest: null };
}

/**
 * v0 (the prototype): a bare JSON array of `{ id, url, dest, state, bytes, size, sha256,
 * priority, created }`, with states `pending | running | paused | done | error`.
 */
function migrateJobV0toV1(job: Raw): Raw {
  const stateMap: Record<string, string> = {
    pending: 'queued',
    running: 'downloading',
    paused: 'paused',
    done: 'completed',
    error: 'failed',
  };
  const created = num(job.created) ?? 0;
  return {
    id: job.id,
    url: job.url,
    dest: job.dest,
    state: stateMap[String(job.state)] ?? 'paused',
    priority: num(job.priority) ?? 0,
    label: null,
    pins: [],
    expectedSha256: str(job.sha256),
    expectedSize: num(job.size),
    downloaded: num(job.bytes) ?? 0,
    total: num(job.size),
    completedBytes: num(job.bytes) ?? 0,
    error:
      job.state === 'error'
        ? { code: 'ERR_INTERNAL', message: 'failed (migrated)', retryable: true }
        : null,
    createdAt: created,
    updatedAt: created,
  };
}

/**
 * v1: `{ version: 1, jobs }` where each job has `pins`, `expectedSha256`, `expectedSize`
 * and a contiguous `completedBytes` prefix instead of range checkpoints.
 */
function migrateJobV1toV2(job: Raw, seq: number): Raw {
  const expectedHash = str(job.expectedSha256);
  const completed = num(job.completedBytes) ?? 0;
  const total = num(job.total);
  const state = String(job.state);
  return {
    id: job.id,
    url: job.url,
    dest: job.dest,
    label: str(job.label),
    component: null,
    priority: Math.trunc(num(job.priority) ?? 0),
    seq,
    state,
    pauseReason: state === 'paused' ? 'user' : null,
    error: job.error ?? null,
    attempt: 0,
    nextAttemptAt: null,
    retryReason: null,
    stalledSince: null,
    total,
    downloaded: num(job.downloaded) ?? completed,
    connections: null,
    expectedHash,
    expected: { size: num(job.expectedSize), ...describeExpectedHash(expectedHash) },
    policy: { pins: Array.isArray(job.pins) ? job.pins.filter((p) => typeof p === 'string') : [] },
    checkpoint:
      completed > 0 ? { ranges: [[0, completed]], total, at: num(job.updatedAt) ?? 0 } : null,
    sha256: state === 'completed' ? (describeExpectedHash(expectedHash).digest ?? null) : null,
    createdAt: num(job.createdAt) ?? 0,
    updatedAt: num(job.updatedAt) ?? 0,
    startedAt: null,
    finishedAt: state === 'completed' || state === 'failed' ? (num(job.updatedAt) ?? 0) : null,
  };
}

/** Bring one raw job of schema `fromVersion` up to the current schema (not yet validated). */
export function migrateJob(job: unknown, fromVersion: number, seq: number): unknown {
  if (typeof job !== 'object' || job === null || Array.isArray(job)) return job;
  let raw = job as Raw;
  if (fromVersion <= 0) raw = migrateJobV0toV1(raw);
  if (fromVersion <= 1) raw = migrateJobV1toV2(raw, seq);
  return raw;
}

/** The schema version of a parsed document: a bare array is v0. */
export function documentVersion(doc: unknown): number | null {
  if (Array.isArray(doc)) return 0;
  if (typeof doc === 'object' && doc !== null) {
    const v = (doc as Raw).version;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  }
  return null;
}

/** The job list of a parsed document of any known version. */
export function documentJobs(doc: unknown): unknown[] | null {
  if (Array.isArray(doc)) return doc;
  const jobs = (doc as Raw | null)?.jobs;
  return Array.isArray(jobs) ? jobs : null;
}

/**
 * Serialise a document with exactly one job per line, so that a damaged file can still be
 * salvaged line by line (see salvageJobs in job-store.ts).
 */
export function serializeDocument(doc: StoreDocument): string {
  const head = JSON.stringify({ version: doc.version, savedAt: doc.savedAt, nextSeq: doc.nextSeq });
  const lines = doc.jobs.map((j) => JSON.stringify(j));
  return `${head.slice(0, -1)},"jobs":[\n${lines.join(',\n')}\n]}\n`;
}
