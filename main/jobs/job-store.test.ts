import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadJobStore, salvageJobs, saveJobStore } from './job-store';
import {
  STORE_VERSION,
  jobRecordSchema,
  serializeDocument,
  type StoreDocument,
} from './store-schema';
import type { JobRecord } from './types';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jobs-store-'));
  file = join(dir, 'jobs.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function job(id: string, over: Partial<JobRecord> = {}): JobRecord {
  return {
    id,
    url: `https://example.test/${id}.bin`,
    dest: `/tmp/${id}.bin`,
    label: null,
    component: null,
    priority: 0,
    seq: 0,
    state: 'downloading',
    pauseReason: null,
    error: null,
    attempt: 1,
    nextAttemptAt: null,
    retryReason: null,
    stalledSince: null,
    total: 1000,
    downloaded: 500,
    connections: null,
    expectedHash: null,
    expected: { size: null, algorithm: null, digest: null },
    policy: { pins: [] },
    checkpoint: { ranges: [[0, 500]], total: 1000, at: 1 },
    sha256: null,
    createdAt: 1,
    updatedAt: 2,
    startedAt: 1,
    finishedAt: null,
    ...over,
  };
}

const doc = (jobs: JobRecord[]): StoreDocument => ({
  version: STORE_VERSION,
  savedAt: 5,
  nextSeq: jobs.length,
  jobs,
});

describe('job-store', () => {
  describe('saveJobStore() / loadJobStore()', () => {
    it('round-trips a document with one job per line', async () => {
      await saveJobStore(file, doc([job('a', { seq: 0 }), job('b', { seq: 1 })]));
      expect(
        readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('{"id"')),
      ).toHaveLength(2);
      const loaded = await loadJobStore(file, 10);
      expect(loaded.problem).toBeNull();
      expect(loaded.doc.jobs.map((j) => j.id)).toEqual(['a', 'b']);
      expect(loaded.doc.jobs[0]).toEqual(job('a', { seq: 0 }));
      expect(loaded.doc.nextSeq).toBe(2);
    });

    it('returns an empty store when there is no file', async () => {
      const loaded = await loadJobStore(file, 10);
      expect(loaded.doc.jobs).toEqual([]);
      expect(loaded.problem).toBeNull();
    });

    it('leaves the old store intact when a crash happened between write and rename', async () => {
      await saveJobStore(file, doc([job('old')]));
      // What a writer killed before rename() leaves: a complete (or torn) temp file beside the store.
      const stray = join(dir, `.jobs.json.${process.pid + 1}.deadbeef.tmp`);
      writeFileSync(stray, serializeDocument(doc([job('new')])).slice(0, 40));
      const loaded = await loadJobStore(file, 10);
      expect(loaded.doc.jobs.map((j) => j.id)).toEqual(['old']);
      expect(loaded.problem).toBeNull();
      expect(readdirSync(dir)).toEqual(['jobs.json']); // the stray temp file was swept
    });

    it('writes with mode 0600 and leaves no temp files behind', async () => {
      await saveJobStore(file, doc([job('a')]));
      await saveJobStore(file, doc([job('b')]));
      expect(readdirSync(dir)).toEqual(['jobs.json']);
    });
  });

  describe('migrations', () => {
    it('migrates a v0 store (bare array, prototype states)', async () => {
      writeFileSync(
        file,
        JSON.stringify([
          {
            id: 'p1',
            url: 'https://h.test/a',
            dest: '/d/a',
            state: 'running',
            bytes: 300,
            size: 900,
            priority: 2,
            created: 7,
          },
          {
            id: 'p2',
            url: 'https://h.test/b',
            dest: '/d/b',
            state: 'done',
            bytes: 10,
            size: 10,
            sha256: 'ab'.repeat(32),
            created: 8,
          },
          { id: 'p3', url: 'https://h.test/c', dest: '/d/c', state: 'error', bytes: 0, created: 9 },
        ]),
      );
      const loaded = await loadJobStore(file, 10);
      expect(loaded.migratedFrom).toBe(0);
      expect(loaded.problem).toBeNull();
      const [a, b, c] = loaded.doc.jobs;
      expect(a).toMatchObject({
        id: 'p1',
        state: 'downloading',
        priority: 2,
        total: 900,
        downloaded: 300,
      });
      expect(a.checkpoint?.ranges).toEqual([[0, 300]]);
      expect(b).toMatchObject({
        state: 'completed',
        expected: { algorithm: 'sha256', digest: 'ab'.repeat(32) },
      });
      expect(c).toMatchObject({ state: 'failed', error: { code: 'ERR_INTERNAL' } });
      for (const j of loaded.doc.jobs) expect(jobRecordSchema.safeParse(j).success).toBe(true);
      expect(readdirSync(dir)).toContain('jobs.json.v0.bak');
    });

    it('migrates a v1 store (contiguous completedBytes, expectedSha256)', async () => {
      const sha = 'cd'.repeat(32);
      writeFileSync(
        file,
        JSON.stringify({
          version: 1,
          jobs: [
            {
              id: 'j1',
              url: 'https://h.test/x',
              dest: '/d/x',
              state: 'paused',
              priority: 1,
              label: 'X',
              pins: ['sha256/AAAA'],
              expectedSha256: sha,
              expectedSize: 4096,
              downloaded: 2048,
              total: 4096,
              completedBytes: 2048,
              createdAt: 1,
              updatedAt: 3,
            },
          ],
        }),
      );
      const loaded = await loadJobStore(file, 10);
      expect(loaded.migratedFrom).toBe(1);
      expect(loaded.doc.jobs[0]).toMatchObject({
        id: 'j1',
        state: 'paused',
        pauseReason: 'user',
        label: 'X',
        expectedHash: sha,
        expected: { size: 4096, algorithm: 'sha256', digest: sha },
        policy: { pins: ['sha256/AAAA'] },
        checkpoint: { ranges: [[0, 2048]], total: 4096 },
      });
    });
  });

  describe('corrupt stores', () => {
    it('moves a truncated store aside with a timestamp and salvages the intact jobs', async () => {
      await saveJobStore(
        file,
        doc([job('a', { seq: 0 }), job('b', { seq: 1 }), job('c', { seq: 2 })]),
      );
      const text = readFileSync(file, 'utf8');
      const cut = text.slice(0, text.indexOf('"id":"c"') + 20); // torn in the middle of job c
      writeFileSync(file, cut);
      const loaded = await loadJobStore(file, Date.UTC(2030, 0, 2, 3, 4, 5));
      expect(loaded.doc.jobs.map((j) => j.id)).toEqual(['a', 'b']);
      expect(loaded.problem).toMatch(/damaged; 2 job\(s\) recovered, 1 lost/);
      expect(loaded.movedAside).toBe(`${file}.corrupt-2030-01-02T03-04-05-000Z`);
      expect(readFileSync(loaded.movedAside!, 'utf8')).toBe(cut); // kept, never deleted
      expect(readdirSync(dir)).not.toContain('jobs.json');
    });

    it('drops invalid jobs of a parseable store, keeps the rest and the original', async () => {
      const bad = { ...job('bad'), url: 'http://insecure.test/x' };
      writeFileSync(
        file,
        JSON.stringify({ version: 2, savedAt: 1, nextSeq: 3, jobs: [job('ok'), bad, 'garbage'] }),
      );
      const loaded = await loadJobStore(file, 1000);
      expect(loaded.doc.jobs.map((j) => j.id)).toEqual(['ok']);
      expect(loaded.dropped).toBe(2);
      expect(loaded.movedAside).toMatch(/jobs\.json\.corrupt-/);
    });

    it('never overwrites an earlier moved-aside copy', async () => {
      writeFileSync(file, '{not json');
      const first = await loadJobStore(file, 5000);
      writeFileSync(file, '{also not json');
      const second = await loadJobStore(file, 5000);
      expect(second.movedAside).not.toBe(first.movedAside);
      expect(readFileSync(first.movedAside!, 'utf8')).toBe('{not json');
    });

    it('moves aside a store from a newer schema instead of misreading it', async () => {
      writeFileSync(file, JSON.stringify({ version: STORE_VERSION + 1, jobs: [] }));
      const loaded = await loadJobStore(file, 1);
      expect(loaded.problem).toMatch(/newer version/);
      expect(loaded.movedAside).not.toBeNull();
    });

    it('moves aside an unreadable store (a directory in its place)', async () => {
      rmSync(file, { force: true });
      const { mkdirSync } = await import('node:fs');
      mkdirSync(file);
      const loaded = await loadJobStore(file, 1);
      expect(loaded.problem).toMatch(/could not be read/);
      expect(loaded.doc.jobs).toEqual([]);
    });
  });

  describe('salvageJobs()', () => {
    it('recovers every intact line even when the middle is garbage', () => {
      const text = serializeDocument(
        doc([job('a', { seq: 0 }), job('b', { seq: 1 }), job('c', { seq: 2 })]),
      );
      const lines = text.split('\n');
      lines[2] = lines[2].replace('"url"', '"u\u0000rl'); // bit rot in job b
      const { jobs, dropped } = salvageJobs(lines.join('\n'));
      expect(jobs.map((j) => j.id)).toEqual(['a', 'c']);
      expect(dropped).toBe(1);
    });
  });
});
