import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventChannel, EventPayloads, JobSnapshot, JobState } from '../../preload/contract';
import { createEventHub } from '../core/event-hub';
import { AppError } from '../errors';
import { createJobManager, type JobManager } from './job-manager';
import { STORE_FILE_NAME } from './job-store';
import { FakeDownloader, type FakeDownloaderOptions } from './testing/fake-downloader';
import type { JobManagerOptions, JobSettings } from './types';

let dir: string;
let managers: JobManager[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jobs-mgr-'));
});
afterEach(async () => {
  for (const m of managers) await m.close();
  managers = [];
  rmSync(dir, { recursive: true, force: true });
});

/** Deterministic pseudo-random content per URL. */
function contentOf(url: string, size = 64 * 1024): Buffer {
  const out = Buffer.alloc(size);
  let h = createHash('sha256').update(url).digest();
  for (let off = 0; off < size; off += h.length) {
    h.copy(out, off);
    h = createHash('sha256').update(h).digest();
  }
  return out;
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Harness {
  m: JobManager;
  fake: FakeDownloader;
  events: { event: EventChannel; payload: unknown; at: number }[];
  settings: Partial<JobSettings>;
}

async function open(
  fakeOpts: Partial<FakeDownloaderOptions> = {},
  settings: Partial<JobSettings> = {},
  extra: Partial<JobManagerOptions> = {},
): Promise<Harness> {
  const hub = createEventHub();
  const events: Harness['events'] = [];
  hub.subscribe(<E extends EventChannel>(event: E, payload: EventPayloads[E]) => {
    events.push({ event, payload, at: Date.now() });
  });
  const fake = new FakeDownloader({ content: (u) => contentOf(u), chunkSize: 8192, ...fakeOpts });
  const s: Partial<JobSettings> = { downloadDir: join(dir, 'dl'), ...settings };
  const m = await createJobManager({
    downloader: fake,
    stateDir: join(dir, 'state'),
    events: hub,
    settings: () => s,
    ...extra,
  });
  managers.push(m);
  return { m, fake, events, settings: s };
}

async function close(h: Harness): Promise<void> {
  await h.m.close();
  managers = managers.filter((x) => x !== h.m);
}

async function waitFor<T>(fn: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const stateOf = (m: JobManager, id: string): JobState | undefined =>
  m.list().find((j) => j.id === id)?.state;
const waitState = (m: JobManager, id: string, state: JobState) =>
  waitFor(() => stateOf(m, id) === state);

function storedJobs(): { id: string; state: string; checkpoint: { ranges: number[][] } | null }[] {
  return JSON.parse(readFileSync(join(dir, 'state', STORE_FILE_NAME), 'utf8')).jobs;
}

describe('job-manager', () => {
  describe('add()', () => {
    it('downloads a job to completion and records its sha256 durably', async () => {
      const h = await open();
      const job = await h.m.add({ url: 'https://a.test/one.bin', dest: 'one.bin', label: 'One' });
      expect(job).toMatchObject({
        state: 'queued',
        dest: join(dir, 'dl', 'one.bin'),
        host: 'a.test',
        label: 'One',
      });
      await waitState(h.m, job.id, 'completed');
      await waitFor(() => storedJobs()[0].state === 'completed');
      const done = h.m.list()[0];
      expect(done.sha256).toBe(sha(contentOf('https://a.test/one.bin')));
      expect(readFileSync(done.dest)).toEqual(contentOf('https://a.test/one.bin'));
      expect(done.finishedAt).not.toBeNull();
      expect(storedJobs()[0]).toMatchObject({ id: job.id, state: 'completed' });
      expect(h.m.pathOf(job.id)).toBe(done.dest);
    });

    it('rejects a relative destination that escapes the download directory', async () => {
      const h = await open();
      await expect(
        h.m.add({ url: 'https://a.test/x', dest: '../escape.bin' }),
      ).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
      });
    });

    it('rejects a second unfinished job writing the same destination', async () => {
      const h = await open({ chunkDelayMs: 20 });
      await h.m.add({ url: 'https://a.test/x', dest: 'same.bin' });
      await expect(h.m.add({ url: 'https://a.test/y', dest: 'same.bin' })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
      });
    });

    it('rejects non-https URLs and malformed hashes', async () => {
      const h = await open();
      await expect(h.m.add({ url: 'http://a.test/x', dest: 'x' })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
      });
      await expect(
        h.m.add({ url: 'https://a.test/x', dest: 'x', expectedHash: 'nothex' }),
      ).rejects.toMatchObject({
        code: 'ERR_INVALID_HASH',
      });
    });
  });

  describe('queue', () => {
    it('never runs more than maxActive jobs at once', async () => {
      const h = await open({ chunkDelayMs: 2 }, { maxActive: 2 });
      const jobs = await Promise.all(
        [1, 2, 3, 4, 5].map((i) => h.m.add({ url: `https://h${i}.test/f`, dest: `f${i}` })),
      );
      for (const j of jobs) await waitState(h.m, j.id, 'completed');
      expect(h.fake.maxRunning).toBe(2);
    });

    it('respects the per-host connection limit', async () => {
      const h = await open(
        { chunkDelayMs: 2 },
        { maxActive: 5, connectionsPerJob: 2, perHostConnections: 3 },
      );
      const jobs = await Promise.all(
        [1, 2, 3, 4].map((i) => h.m.add({ url: `https://same.test/f${i}`, dest: `f${i}` })),
      );
      for (const j of jobs) await waitState(h.m, j.id, 'completed');
      expect(h.fake.maxConnectionsByHost.get('same.test')).toBeLessThanOrEqual(3);
      // The second job got the one connection the host had left.
      expect(h.fake.calls.some((c) => c.request.connections === 1)).toBe(true);
    });

    it('starts higher priorities first and follows setPriority()', async () => {
      const h = await open({ chunkDelayMs: 1 }, { maxActive: 1 });
      await h.m.pauseAll();
      const blocker = await h.m.add({ url: 'https://p.test/blocker', dest: 'blocker' });
      await h.m.pause(blocker.id);
      const low = await h.m.add({ url: 'https://p.test/low', dest: 'low', priority: 1 });
      const high = await h.m.add({ url: 'https://p.test/high', dest: 'high', priority: 5 });
      const mid = await h.m.add({ url: 'https://p.test/mid', dest: 'mid', priority: 3 });
      // Everything queued is paused before it can start, then reordered and released.
      await Promise.all([low, high, mid].map((j) => h.m.pause(j.id)));
      await h.m.setPriority(low.id, 10);
      expect(h.m.list().map((j) => j.label ?? j.url.split('/').pop())).toEqual([
        'low',
        'high',
        'mid',
        'blocker',
      ]);
      await h.m.resumeAll();
      for (const j of [low, high, mid, blocker]) {
        await waitState(h.m, j.id, 'completed').catch(() => {
          throw new Error(
            JSON.stringify([
              h.m.list().map((x) => [x.url, x.state, x.downloaded, x.attempt]),
              h.fake.running,
              h.fake.calls.map((c) => [c.url, c.resumedFrom, c.request.trustedRanges]),
            ]),
          );
        });
      }
      const order = h.fake.calls
        .filter((c) => c.resumedFrom === 0)
        .map((c) => c.url.split('/').pop());
      expect(order.slice(-4)).toEqual(['low', 'high', 'mid', 'blocker']);
    });
  });

  describe('pause() / resume()', () => {
    it('pauses mid-download keeping the part file, and resumes from the checkpoint', async () => {
      const h = await open({ chunkDelayMs: 15 }, {}, { checkpointIntervalMs: 10 });
      const job = await h.m.add({ url: 'https://r.test/big', dest: 'big' });
      await waitFor(() => (h.m.list()[0].downloaded ?? 0) >= 24 * 1024);
      const paused = await h.m.pause(job.id);
      expect(paused).toMatchObject({ state: 'paused', pauseReason: 'user' });
      expect(existsSync(join(dir, 'dl', 'big.part'))).toBe(true);
      expect((await h.m.pause(job.id)).state).toBe('paused'); // idempotent
      const stored = storedJobs()[0];
      expect(stored.state).toBe('paused');
      expect(stored.checkpoint!.ranges[0][1]).toBeGreaterThanOrEqual(24 * 1024);
      await h.m.resume(job.id);
      await waitState(h.m, job.id, 'completed');
      expect(h.fake.calls.at(-1)!.resumedFrom).toBe(stored.checkpoint!.ranges[0][1]);
      expect(sha(readFileSync(join(dir, 'dl', 'big')))).toBe(sha(contentOf('https://r.test/big')));
    });

    it('pauseAll() and resumeAll() act on every job and are idempotent', async () => {
      const h = await open({ chunkDelayMs: 10 });
      const jobs = await Promise.all(
        [1, 2, 3, 4].map((i) => h.m.add({ url: `https://all.test/${i}`, dest: `${i}` })),
      );
      await h.m.pauseAll();
      await h.m.pauseAll();
      expect(h.m.list().every((j) => j.state === 'paused')).toBe(true);
      await h.m.resumeAll();
      await h.m.resumeAll();
      for (const j of jobs) await waitState(h.m, j.id, 'completed');
    });
  });

  describe('cancel()', () => {
    it('stops the download and removes the partial data; cancel again is a no-op', async () => {
      const h = await open({ chunkDelayMs: 10 });
      const job = await h.m.add({ url: 'https://c.test/f', dest: 'f' });
      await waitFor(() => h.m.list()[0].downloaded > 0);
      expect(existsSync(join(dir, 'dl', 'f.part'))).toBe(true);
      writeFileSync(join(dir, 'dl', 'f.part.state'), '{}'); // a resume-state sibling goes too
      const c = await h.m.cancel(job.id);
      expect(c).toMatchObject({ state: 'canceled', downloaded: 0 });
      expect(readdirSync(join(dir, 'dl'))).toEqual([]);
      expect((await h.m.cancel(job.id)).state).toBe('canceled');
      // Retry starts it again from zero.
      await h.m.retry(job.id);
      await waitState(h.m, job.id, 'completed');
      expect(h.fake.calls.at(-1)!.resumedFrom).toBe(0);
    });

    it('never deletes a completed file', async () => {
      const h = await open();
      const job = await h.m.add({ url: 'https://c.test/keep', dest: 'keep' });
      await waitState(h.m, job.id, 'completed');
      expect((await h.m.cancel(job.id)).state).toBe('completed');
      await h.m.remove(job.id);
      expect(existsSync(join(dir, 'dl', 'keep'))).toBe(true);
      expect(h.m.list()).toEqual([]);
      await h.m.remove(job.id); // unknown now: still fine
    });
  });

  describe('failures', () => {
    it('maps a downloader error onto failed with its coded payload, and retry() recovers', async () => {
      const h = await open({
        failure: (_u, attempt) =>
          attempt === 1
            ? {
                atByte: 16384,
                error: new AppError('ERR_HTTP_STATUS', 'HTTP 503 from https://u:p@f.test/', {
                  retryable: true,
                }),
              }
            : null,
      });
      const job = await h.m.add({ url: 'https://f.test/x', dest: 'x' });
      await waitState(h.m, job.id, 'failed');
      const failed = h.m.list()[0];
      expect(failed.error).toEqual({
        code: 'ERR_HTTP_STATUS',
        message: 'HTTP 503 from https://***@f.test/',
        retryable: true,
      });
      expect((await h.m.resume(job.id)).state).toBe('failed'); // resume is not retry
      await h.m.retry(job.id);
      await waitState(h.m, job.id, 'completed');
      expect(h.m.list()[0]).toMatchObject({ error: null, attempt: 1 });
    });

    it('pauses with reason disk-full on ERR_DISK_FULL and keeps the part file', async () => {
      const h = await open({
        failure: (_u, attempt) =>
          attempt === 1
            ? { atByte: 16384, error: new AppError('ERR_DISK_FULL', 'No space left') }
            : null,
      });
      const job = await h.m.add({ url: 'https://d.test/x', dest: 'x' });
      await waitState(h.m, job.id, 'paused');
      expect(h.m.list()[0]).toMatchObject({
        pauseReason: 'disk-full',
        error: { code: 'ERR_DISK_FULL' },
      });
      expect(existsSync(join(dir, 'dl', 'x.part'))).toBe(true);
      await h.m.resume(job.id);
      await waitState(h.m, job.id, 'completed');
    });

    it('reports an integrity failure and does not resume from the bad data', async () => {
      const h = await open();
      const job = await h.m.add({
        url: 'https://i.test/x',
        dest: 'x',
        expectedHash: 'ab'.repeat(32),
      });
      await waitState(h.m, job.id, 'failed');
      expect(h.m.list()[0].error?.code).toBe('ERR_INTEGRITY');
      await waitFor(() => storedJobs()[0].state === 'failed');
      expect(storedJobs()[0].checkpoint).toBeNull();
    });
  });

  describe('phases', () => {
    it('maps retrying and stalled phases with their timing facts', async () => {
      const hub = createEventHub();
      const seen: JobSnapshot[] = [];
      hub.subscribe((event, payload) => {
        if (event === 'jobs:batch') seen.push(...(payload as EventPayloads['jobs:batch']).jobs);
      });
      let release!: () => void;
      const m = await createJobManager({
        stateDir: join(dir, 'state'),
        events: hub,
        batchIntervalMs: 0,
        settings: () => ({ downloadDir: join(dir, 'dl') }),
        downloader: {
          async download(_url, dest, req) {
            req.observer.onPhase?.('connecting');
            req.observer.onPhase?.('retrying', {
              retry: {
                url: _url,
                attempt: 2,
                delayMs: 4000,
                reason: 'HTTP 503',
                code: 'ERR_HTTP_STATUS',
                status: 503,
              },
            });
            await new Promise((r) => setTimeout(r, 30));
            req.observer.onPhase?.('downloading');
            req.observer.onPhase?.('stalled', { stalledSince: 12345 });
            await new Promise<void>((r) => (release = r));
            req.observer.onPhase?.('verifying');
            await new Promise((r) => setTimeout(r, 30));
            writeFileSync(dest, 'x');
            return {
              dest,
              bytes: 1,
              sha256: sha(Buffer.from('x')),
              bytesTransferred: 1,
              resumed: false,
            };
          },
        },
      });
      managers.push(m);
      const job = await m.add({ url: 'https://ph.test/x', dest: 'x' });
      await waitFor(() => stateOf(m, job.id) === 'stalled');
      expect(m.list()[0].stalledSince).toBe(12345);
      release();
      await waitState(m, job.id, 'completed');
      await waitFor(() => seen.some((s) => s.state === 'completed'));
      const retrying = seen.find((s) => s.state === 'retrying')!;
      expect(retrying.retryReason).toBe('HTTP 503');
      expect(retrying.nextAttemptAt! - retrying.updatedAt).toBeGreaterThanOrEqual(3900);
      expect(seen.some((s) => s.state === 'verifying')).toBe(true);
    });
  });

  describe('events', () => {
    it('coalesces progress of many jobs into at most ~10 batches a second', async () => {
      const h = await open(
        { chunkDelayMs: 1, chunkSize: 512 },
        { maxActive: 6, perHostConnections: 64 },
      );
      const start = Date.now();
      const jobs = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((i) => h.m.add({ url: `https://e${i}.test/x`, dest: `x${i}` })),
      );
      for (const j of jobs) await waitState(h.m, j.id, 'completed');
      await new Promise((r) => setTimeout(r, 150));
      const batches = h.events.filter((e) => e.event === 'jobs:batch');
      const seconds = (Date.now() - start) / 1000;
      expect(batches.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 1);
      for (let i = 1; i < batches.length; i++)
        expect(batches[i].at - batches[i - 1].at).toBeGreaterThanOrEqual(95);
      const last = new Map<string, string>();
      for (const b of batches)
        for (const j of (b.payload as EventPayloads['jobs:batch']).jobs) last.set(j.id, j.state);
      expect([...last.values()].every((s) => s === 'completed')).toBe(true);
    });
  });

  describe('history', () => {
    it('caps finished jobs and clearHistory() forgets them but keeps active ones', async () => {
      const h = await open({}, {}, { historyLimit: 2 });
      for (let i = 0; i < 4; i++) {
        const j = await h.m.add({ url: `https://hist.test/${i}`, dest: `h${i}` });
        await waitState(h.m, j.id, 'completed');
      }
      await waitFor(() => h.m.list().length === 2);
      expect(h.m.list().map((j) => j.dest.slice(-2))).toEqual(['h2', 'h3']);
      const paused = await h.m.add({ url: 'https://hist.test/p', dest: 'p' });
      await h.m.pause(paused.id);
      await h.m.clearHistory();
      expect(h.m.list().map((j) => j.id)).toEqual([paused.id]);
    });
  });

  describe('restart recovery', () => {
    async function interruptedStore(autoResume: boolean) {
      const h = await open({ chunkDelayMs: 15 }, {}, { checkpointIntervalMs: 10 });
      const job = await h.m.add({ url: 'https://rr.test/x', dest: 'x' });
      await waitFor(() => h.m.list()[0].downloaded >= 16 * 1024);
      await waitFor(() => (storedJobs()[0].checkpoint?.ranges[0]?.[1] ?? 0) >= 16 * 1024);
      await close(h); // leaves the job "downloading" in the store, exactly like a crash
      expect(storedJobs()[0].state).toBe('downloading');
      const checkpoint = storedJobs()[0].checkpoint!.ranges[0][1];
      // Bytes written after the checkpoint are garbage and must not be trusted.
      writeFileSync(join(dir, 'dl', 'x.part'), Buffer.alloc(8192, 0xee), { flag: 'a' });
      const h2 = await open({ chunkDelayMs: 0 }, { autoResume });
      return { h2, job, checkpoint };
    }

    it('brings interrupted jobs back as paused (interrupted) when autoResume is off', async () => {
      const { h2, job, checkpoint } = await interruptedStore(false);
      expect(h2.m.list()[0]).toMatchObject({
        state: 'paused',
        pauseReason: 'interrupted',
        downloaded: checkpoint,
      });
      await h2.m.resume(job.id);
      await waitState(h2.m, job.id, 'completed');
      expect(h2.fake.calls[0].resumedFrom).toBe(checkpoint);
      expect(h2.fake.calls[0].request.trustedRanges).toEqual([[0, checkpoint]]);
      expect(sha(readFileSync(join(dir, 'dl', 'x')))).toBe(sha(contentOf('https://rr.test/x')));
    });

    it('resumes interrupted jobs automatically when autoResume is on', async () => {
      const { h2, job, checkpoint } = await interruptedStore(true);
      await waitState(h2.m, job.id, 'completed');
      expect(h2.fake.calls[0].resumedFrom).toBe(checkpoint);
      expect(sha(readFileSync(join(dir, 'dl', 'x')))).toBe(sha(contentOf('https://rr.test/x')));
    });

    it('recovers from a corrupt store, keeps running and tells the user', async () => {
      const h = await open();
      const a = await h.m.add({ url: 'https://cs.test/a', dest: 'a' });
      await waitState(h.m, a.id, 'completed');
      await h.m.pause((await h.m.add({ url: 'https://cs.test/b', dest: 'b' })).id);
      await close(h);
      const file = join(dir, 'state', STORE_FILE_NAME);
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.slice(0, text.lastIndexOf('"id"') + 10)); // torn second job
      const h2 = await open();
      expect(h2.m.list().map((j) => j.id)).toEqual([a.id]);
      const notice = h2.events.find((e) => e.event === 'app:notice')!
        .payload as EventPayloads['app:notice'];
      expect(notice).toMatchObject({ level: 'warning', code: 'ERR_STORE_CORRUPT' });
      expect(notice.message).toMatch(/1 job\(s\) recovered, 1 lost.*corrupt-/);
      expect(readdirSync(join(dir, 'state')).some((n) => n.startsWith('jobs.json.corrupt-'))).toBe(
        true,
      );
      // The recovered store was written back and the manager keeps working.
      expect(storedJobs().map((j) => j.id)).toEqual([a.id]);
      const c = await h2.m.add({ url: 'https://cs.test/c', dest: 'c' });
      await waitState(h2.m, c.id, 'completed');
    });

    it('refuses a second manager on the same state directory with ERR_LOCKED', async () => {
      await open();
      await expect(open()).rejects.toMatchObject({ code: 'ERR_LOCKED' });
    });
  });

  describe('actions on any state', () => {
    it('throws NotFound for unknown ids but never for a valid action in any state', async () => {
      const h = await open({ chunkDelayMs: 5 });
      await expect(h.m.pause('nope')).rejects.toMatchObject({ code: 'ERR_NOT_FOUND' });
      expect(() => h.m.pathOf('nope')).toThrow(/No job/);
      const job = await h.m.add({ url: 'https://any.test/x', dest: 'x' });
      const actions = [
        'pause',
        'resume',
        'retry',
        'pause',
        'cancel',
        'resume',
        'pause',
        'retry',
        'cancel',
      ] as const;
      for (const a of actions) await expect(h.m[a](job.id)).resolves.toMatchObject({ id: job.id });
      await h.m.remove(job.id);
      expect(h.m.list()).toEqual([]);
      expect(statSync(join(dir, 'dl')).isDirectory()).toBe(true);
    });
  });
});
