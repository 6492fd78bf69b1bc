import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub } from '../core/event-hub';
import { readResumeState, statePathOf, writeResumeState } from '../download/resume-state';
import { SecureDownloader } from '../download/secure-downloader';
import { SecureClient } from '../net/secure-client';
import { createTestPki, type TestPki } from '../test-support/pki';
import { startTlsServer, type TlsTestServer } from '../test-support/tls-server';
import { createJobManager, type JobManager } from './job-manager';
import { clampResumeState, createSecureJobDownloader } from './secure-job-downloader';
import { createRangeHandler } from './testing/range-handler';

let pki: TestPki;
let server: TlsTestServer;
let client: SecureClient;
let dir: string;
const body = randomBytes(1536 * 1024);
const sha = createHash('sha256').update(body).digest('hex');

beforeAll(async () => {
  pki = createTestPki();
  const range = createRangeHandler({
    files: new Map([['/file.bin', body]]),
    bytesPerSecond: 512 * 1024,
  });
  server = await startTlsServer({ cert: pki.chainPem, key: pki.leaf.key, handler: range.handler });
  client = new SecureClient({
    options: {
      ca: [pki.root.cert],
      useSystemRoots: false,
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 50 },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'jobs-secure-'));
});
afterAll(async () => {
  await client.close();
  await server.close();
  pki.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function manager(name: string): Promise<JobManager> {
  return createJobManager({
    stateDir: join(dir, name, 'state'),
    events: createEventHub(),
    settings: () => ({ downloadDir: join(dir, name, 'dl'), connectionsPerJob: 2 }),
    downloader: createSecureJobDownloader(new SecureDownloader(client), {
      baseOptions: () => ({ minSegmentSize: 256 * 1024, checkFreeSpace: false }),
    }),
  });
}

async function waitFor(fn: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('secure-job-downloader', () => {
  describe('clampResumeState()', () => {
    it('drops every claimed byte outside the trusted ranges', async () => {
      const dest = join(dir, 'clamp.bin');
      await writeResumeState(statePathOf(dest), {
        version: 1,
        url: 'https://h.test/x',
        total: 300,
        validator: { etag: '"e"', lastModified: null },
        expected: null,
        segments: [
          { start: 0, end: 100, done: 100 },
          { start: 100, end: 200, done: 80 },
          { start: 200, end: 300, done: 50 },
        ],
        updatedAt: new Date().toISOString(),
      });
      const dropped = await clampResumeState(dest, [
        [0, 150],
        [250, 300],
      ]);
      expect(dropped).toBe(30 + 50);
      expect((await readResumeState(statePathOf(dest)))!.segments.map((s) => s.done)).toEqual([
        100, 50, 0,
      ]);
      expect(await clampResumeState(dest, [[0, 300]])).toBe(0);
    });

    it('does nothing without a resume state', async () => {
      expect(await clampResumeState(join(dir, 'none.bin'), [])).toBe(0);
    });
  });

  describe('createSecureJobDownloader()', () => {
    it('downloads over pinned TLS, pauses, resumes and verifies the sha256', async () => {
      const m = await manager('pause');
      try {
        const job = await m.add({
          url: `${server.url}/file.bin`,
          dest: 'f.bin',
          expectedHash: sha,
          pins: [pki.intermediate.pin],
        });
        await waitFor(() => m.list()[0].downloaded > 256 * 1024);
        await m.pause(job.id);
        expect(existsSync(join(dir, 'pause', 'dl', 'f.bin.part'))).toBe(true);
        await m.resume(job.id);
        await waitFor(() => m.list()[0].state === 'completed');
        expect(m.list()[0].sha256).toBe(sha);
        expect(readFileSync(join(dir, 'pause', 'dl', 'f.bin')).equals(body)).toBe(true);
      } finally {
        await m.close();
      }
    });

    it('cancel removes the part file and the downloader resume state', async () => {
      const m = await manager('cancel');
      try {
        const job = await m.add({ url: `${server.url}/file.bin`, dest: 'f.bin' });
        await waitFor(() => m.list()[0].downloaded > 128 * 1024);
        await waitFor(() => existsSync(join(dir, 'cancel', 'dl', 'f.bin.part.json')));
        await m.cancel(job.id);
        expect(readdirSync(join(dir, 'cancel', 'dl'))).toEqual([]);
      } finally {
        await m.close();
      }
    });

    it('enforces the job pins: a wrong pin fails the job with ERR_PIN_MISMATCH and keeps no file', async () => {
      const m = await manager('pins');
      try {
        const other = pki.createCa('other');
        const job = await m.add({
          url: `${server.url}/file.bin`,
          dest: 'f.bin',
          pins: [other.intermediate.pin],
        });
        await waitFor(() => m.list()[0].state === 'failed');
        expect(m.list()[0].error?.code).toBe('ERR_PIN_MISMATCH');
        expect(existsSync(join(dir, 'pins', 'dl', 'f.bin'))).toBe(false);
        expect(m.pathOf(job.id)).toBe(join(dir, 'pins', 'dl', 'f.bin'));
      } finally {
        await m.close();
      }
    });
  });
});
