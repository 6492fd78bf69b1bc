import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createTestPki, type TestPki } from '../test-support/pki';
import { partPathOf, readResumeState, statePathOf } from './resume-state';
import { SecureDownloader } from './secure-downloader';
import { SecureClient } from '../net/secure-client';
import { startFileServer, type FileServer } from './test-support-server';
import type { DownloadPhase, DownloadProgress } from './types';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('hex');

let pki: TestPki;
let dir: string;
let transport: SecureClient;
let server: FileServer | null = null;

beforeAll(() => {
  pki = createTestPki();
  transport = new SecureClient({
    options: {
      ca: [pki.root.cert],
      useSystemRoots: false,
      retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 20 },
    },
  });
});
afterAll(async () => {
  await transport.close();
  pki.cleanup();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dl-test-'));
});
afterEach(async () => {
  await server?.close();
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

/** Small segments and fast retries so multi-segment behaviour shows on KB-sized files. */
const fast = {
  minSegmentSize: 16 * 1024,
  retryInitialDelayMs: 5,
  retryMaxDelayMs: 20,
  writeBatchBytes: 64 * 1024,
  requestChunkBytes: 32 * 1024,
};
/** One request covers the whole (small) file, so a fault on request 0 hits the body mid-way. */
const whole = { ...fast, requestChunkBytes: 1024 * 1024 };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).code;
  }
  throw new Error('expected a rejection');
}

describe('secure-downloader', () => {
  describe('download()', () => {
    it('downloads with 4 segments, verifies sha256 and promotes by rename', async () => {
      const body = randomBytes(300_000);
      server = await startFileServer(pki, body);
      const dest = join(dir, 'out.bin');
      const result = await new SecureDownloader(transport).download(server.url, dest, {
        ...fast,
        connections: 4,
        expectedDigest: sha256(body),
        expectedSize: body.length,
      });
      expect(readFileSync(dest).equals(body)).toBe(true);
      expect(result).toMatchObject({
        dest,
        bytes: body.length,
        sha256: sha256(body),
        resumed: false,
      });
      expect(existsSync(partPathOf(dest))).toBe(false);
      expect(existsSync(statePathOf(dest))).toBe(false);
      // Several ranged requests, all carrying If-Range with the strong ETag.
      const ranged = server.requests.filter((r) => !/^bytes=0-/.test(r.range ?? ''));
      expect(ranged.length).toBeGreaterThanOrEqual(3);
      expect(ranged.every((r) => r.ifRange === '"v1"')).toBe(true);
      expect(server.requests[0].range).toBe('bytes=0-32767');
      // Bounded requests and splits of unrequested work only: every byte is fetched once.
      expect(server.bytesSent()).toBe(body.length);
      expect(result.bytesTransferred).toBe(body.length);
    });

    it('accepts an SRI sha512 and reports the sha512 digest', async () => {
      const body = randomBytes(50_000);
      server = await startFileServer(pki, body);
      const sri = 'sha512-' + createHash('sha512').update(body).digest('base64');
      const result = await new SecureDownloader(transport).download(server.url, join(dir, 'o'), {
        ...fast,
        expectedDigest: sri,
      });
      expect(result.sha512).toBe(sha512(body));
      expect(result.sha256).toBe(sha256(body));
    });

    it('verifies with a final-pass hash as well as with the streaming one', async () => {
      const body = randomBytes(400_000);
      server = await startFileServer(pki, body);
      const ok = await new SecureDownloader(transport).download(server.url, join(dir, 'a'), {
        ...fast,
        connections: 4,
        hashStrategy: 'final-pass',
        expectedDigest: sha256(body),
      });
      expect(ok.sha256).toBe(sha256(body));
      const code = await codeOf(
        new SecureDownloader(transport).download(server.url, join(dir, 'b'), {
          ...fast,
          hashStrategy: 'final-pass',
          expectedDigest: sha256(Buffer.from('nope')),
        }),
      );
      expect(code).toBe('ERR_INTEGRITY');
    });

    it('verifies with the worker-thread hash and refuses a mismatch with it', async () => {
      const body = randomBytes(3_000_000);
      server = await startFileServer(pki, body);
      const ok = await new SecureDownloader(transport).download(server.url, join(dir, 'a'), {
        ...fast,
        connections: 4,
        minSegmentSize: 256 * 1024,
        requestChunkBytes: 512 * 1024,
        hashStrategy: 'worker',
        expectedDigest: sha512(body),
      });
      expect(ok.sha256).toBe(sha256(body));
      expect(ok.sha512).toBe(sha512(body));
      expect(readFileSync(join(dir, 'a')).equals(body)).toBe(true);
      const code = await codeOf(
        new SecureDownloader(transport).download(server.url, join(dir, 'b'), {
          ...fast,
          connections: 2,
          hashStrategy: 'worker',
          expectedDigest: sha256(Buffer.from('nope')),
        }),
      );
      expect(code).toBe('ERR_INTEGRITY');
      expect(existsSync(join(dir, 'b'))).toBe(false);
    });

    it('downloads an empty file', async () => {
      server = await startFileServer(pki, Buffer.alloc(0));
      const dest = join(dir, 'empty');
      const result = await new SecureDownloader(transport).download(server.url, dest, {
        ...fast,
        expectedDigest: sha256(Buffer.alloc(0)),
        expectedSize: 0,
      });
      expect(result.bytes).toBe(0);
      expect(readFileSync(dest)).toHaveLength(0);
    });

    it('uses Last-Modified for If-Range when the ETag is weak', async () => {
      const body = randomBytes(100_000);
      server = await startFileServer(pki, body, { etag: 'W/"weak"' });
      await new SecureDownloader(transport).download(server.url, join(dir, 'o'), {
        ...fast,
        connections: 3,
      });
      const ranged = server.requests.filter((r) => !/^bytes=0-/.test(r.range ?? ''));
      expect(ranged.length).toBeGreaterThan(0);
      expect(ranged.every((r) => r.ifRange === 'Mon, 01 Jan 2024 00:00:00 GMT')).toBe(true);
    });

    it('resumes a dropped connection from where it stopped, keeping completed bytes', async () => {
      const body = randomBytes(200_000);
      server = await startFileServer(pki, body);
      server.plan = (i) => (i === 0 ? { dropAfter: 120_000, sliceBytes: 8192 } : undefined);
      const dest = join(dir, 'o');
      const result = await new SecureDownloader(transport).download(server.url, dest, {
        ...whole,
        connections: 1,
        expectedDigest: sha256(body),
      });
      expect(readFileSync(dest).equals(body)).toBe(true);
      expect(server.requests[1].range).toMatch(/^bytes=(\d+)-199999$/);
      const resumedFrom = Number(/^bytes=(\d+)-/.exec(server.requests[1].range ?? '')?.[1]);
      expect(resumedFrom).toBeGreaterThan(0);
      expect(resumedFrom).toBeLessThanOrEqual(120_000);
      expect(result.bytesTransferred).toBeLessThan(body.length + 120_000);
    });

    it('resumes across runs from the durable state after cancellation', async () => {
      const body = randomBytes(400_000);
      server = await startFileServer(pki, body);
      server.plan = () => ({ sliceBytes: 16 * 1024, delayMs: 15 });
      const dest = join(dir, 'o');
      const controller = new AbortController();
      const first = new SecureDownloader(transport).download(
        server.url,
        dest,
        {
          ...fast,
          connections: 2,
          checkpointIntervalMs: 0,
          observer: {
            onProgress: (p) => {
              if (p.downloaded > 150_000) controller.abort();
            },
          },
        },
        controller.signal,
      );
      expect(await codeOf(first)).toBe('ERR_ABORTED');
      expect(existsSync(dest)).toBe(false);
      const state = await readResumeState(statePathOf(dest));
      const checkpointed = state?.segments.reduce((s, x) => s + x.done, 0) ?? 0;
      expect(checkpointed).toBeGreaterThan(0);

      server.plan = () => undefined;
      const sentBefore = server.bytesSent();
      // One connection: no dynamic split, so the server's byte count is exact.
      const result = await new SecureDownloader(transport).download(server.url, dest, {
        ...fast,
        connections: 1,
        expectedDigest: sha256(body),
      });
      expect(readFileSync(dest).equals(body)).toBe(true);
      expect(result.resumed).toBe(true);
      // The second run fetched only what the checkpoint did not cover.
      expect(server.bytesSent() - sentBefore).toBe(body.length - checkpointed);
      expect(result.bytesTransferred).toBe(body.length - checkpointed);
    });

    it('restarts from zero when a range request is answered with 200', async () => {
      const body = randomBytes(200_000);
      server = await startFileServer(pki, body);
      server.plan = (i) =>
        i === 0
          ? { dropAfter: 60_000, sliceBytes: 8192 }
          : i === 1
            ? { ignoreRange: true }
            : undefined;
      const dest = join(dir, 'o');
      const result = await new SecureDownloader(transport).download(server.url, dest, {
        ...whole,
        connections: 1,
      });
      expect(readFileSync(dest).equals(body)).toBe(true);
      expect(result.sha256).toBe(sha256(body));
      expect(server.requests[1].status).toBe(200);
      // After the 200 the download started over with a fresh open range from byte 0.
      expect(server.requests[2].range).toMatch(/^bytes=0-\d+$/);
    });

    it('restarts when the ETag changes mid-resume and never splices two versions', async () => {
      const v1 = randomBytes(200_000);
      const v2 = randomBytes(200_000);
      server = await startFileServer(pki, v1);
      const s = server;
      s.plan = (i) => {
        if (i === 0) return { dropAfter: 80_000, sliceBytes: 8192 };
        if (i === 1)
          s.resource = { body: v2, etag: '"v2"', lastModified: 'Tue, 02 Jan 2024 00:00:00 GMT' };
        return undefined;
      };
      const dest = join(dir, 'o');
      const result = await new SecureDownloader(transport).download(server.url, dest, {
        ...whole,
        connections: 1,
      });
      expect(readFileSync(dest).equals(v2)).toBe(true);
      expect(result.sha256).toBe(sha256(v2));
      expect(server.requests[1].ifRange).toBe('"v1"');
      expect(server.requests[1].status).toBe(200);
    });

    it('restarts when a 206 carries a different ETag than the one resumed against', async () => {
      const body = randomBytes(150_000);
      server = await startFileServer(pki, body);
      const s = server;
      // The server ignores If-Range (answers 206) but reports the new ETag: still a new version.
      s.plan = (i, req) => {
        if (i === 0) return { dropAfter: 50_000, sliceBytes: 8192 };
        if (i === 1) {
          s.resource = { ...s.resource, etag: '"v2"' };
          req.headers['if-range'] = '"v2"';
        }
        return undefined;
      };
      const dest = join(dir, 'o');
      await new SecureDownloader(transport).download(server.url, dest, {
        ...whole,
        connections: 1,
      });
      expect(readFileSync(dest).equals(body)).toBe(true);
      expect(server.requests[1].status).toBe(206);
      expect(server.requests[2].range).toMatch(/^bytes=0-\d+$/);
    });

    it('fails with ERR_RANGE_INVALID on a wrong Content-Range and keeps no part file', async () => {
      const body = randomBytes(100_000);
      server = await startFileServer(pki, body);
      server.plan = (i) =>
        i === 0
          ? { dropAfter: 30_000, sliceBytes: 8192 }
          : { contentRange: 'bytes 0-69999/100000' };
      const dest = join(dir, 'o');
      const code = await codeOf(
        new SecureDownloader(transport).download(server.url, dest, { ...whole, connections: 1 }),
      );
      expect(code).toBe('ERR_RANGE_INVALID');
      expect(existsSync(dest)).toBe(false);
      expect(existsSync(partPathOf(dest))).toBe(false);
    });

    it('fails with ERR_RANGE_INVALID when the first 206 reports a total that disagrees with its range', async () => {
      server = await startFileServer(pki, randomBytes(10_000));
      server.plan = () => ({ contentRange: 'bytes 0-9999/20000' });
      const code = await codeOf(
        new SecureDownloader(transport).download(server.url, join(dir, 'o'), fast),
      );
      expect(code).toBe('ERR_RANGE_INVALID');
    });

    it('falls back to one stream when the server has no range support', async () => {
      const body = randomBytes(200_000);
      server = await startFileServer(pki, body, { ranges: false });
      const dest = join(dir, 'o');
      await new SecureDownloader(transport).download(server.url, dest, { ...fast, connections: 8 });
      expect(readFileSync(dest).equals(body)).toBe(true);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0].status).toBe(200);
    });

    it('restarts from zero after a drop when the server has no range support', async () => {
      const body = randomBytes(100_000);
      server = await startFileServer(pki, body, { ranges: false });
      server.plan = (i) => (i === 0 ? { dropAfter: 40_000, sliceBytes: 8192 } : undefined);
      const dest = join(dir, 'o');
      await new SecureDownloader(transport).download(server.url, dest, {
        ...fast,
        expectedDigest: sha256(body),
      });
      expect(readFileSync(dest).equals(body)).toBe(true);
      expect(server.requests).toHaveLength(2);
    });

    it('rejects a short body with ERR_SIZE_MISMATCH when the size is announced smaller than expected', async () => {
      const body = randomBytes(10_000);
      server = await startFileServer(pki, body);
      const dest = join(dir, 'o');
      const code = await codeOf(
        new SecureDownloader(transport).download(server.url, dest, {
          ...fast,
          expectedSize: 12_000,
        }),
      );
      expect(code).toBe('ERR_SIZE_MISMATCH');
      expect(existsSync(dest)).toBe(false);
    });

    it('cuts off a body longer than the expected size with ERR_TOO_LARGE', async () => {
      const body = randomBytes(10_000);
      server = await startFileServer(pki, body);
      const code = await codeOf(
        new SecureDownloader(transport).download(server.url, join(dir, 'o'), {
          ...fast,
          expectedSize: 8_000,
        }),
      );
      expect(code).toBe('ERR_TOO_LARGE');
    });

    it('cuts off an endless chunked body at the size cap with ERR_TOO_LARGE', async () => {
      const body = randomBytes(64 * 1024);
      server = await startFileServer(pki, body, { ranges: false });
      server.plan = () => ({ chunkedBytes: 64 * 1024 * 1024 });
      const dest = join(dir, 'o');
      const code = await codeOf(
        new SecureDownloader(transport).download(server.url, dest, { ...fast, maxSize: 1_000_000 }),
      );
      expect(code).toBe('ERR_TOO_LARGE');
      expect(server.requests[0].bodyBytes).toBeLessThan(64 * 1024 * 1024);
      expect(existsSync(dest)).toBe(false);
      expect(existsSync(partPathOf(dest))).toBe(false);
    });

    it('accepts a chunked body of unknown length within the cap', async () => {
      const body = randomBytes(64 * 1024);
      server = await startFileServer(pki, body, { ranges: false });
      server.plan = () => ({ chunkedBytes: body.length });
      const result = await new SecureDownloader(transport).download(server.url, join(dir, 'o'), {
        ...fast,
        expectedDigest: sha256(body),
      });
      expect(result.bytes).toBe(body.length);
    });

    it('fails with ERR_INTEGRITY on a hash mismatch, deletes the part and keeps the previous file', async () => {
      const body = randomBytes(100_000);
      server = await startFileServer(pki, body);
      const dest = join(dir, 'o');
      writeFileSync(dest, 'previous verified version');
      const wrong = sha256(Buffer.from('something else'));
      const code = await codeOf(
        new SecureDownloader(transport).download(server.url, dest, {
          ...fast,
          expectedDigest: wrong,
        }),
      );
      expect(code).toBe('ERR_INTEGRITY');
      expect(readFileSync(dest, 'utf8')).toBe('previous verified version');
      expect(existsSync(partPathOf(dest))).toBe(false);
      expect(existsSync(statePathOf(dest))).toBe(false);
    });

    it('quarantines the part file on a hash mismatch when asked to', async () => {
      const body = randomBytes(50_000);
      server = await startFileServer(pki, body);
      const dest = join(dir, 'o');
      const code = await codeOf(
        new SecureDownloader(transport).download(server.url, dest, {
          ...fast,
          expectedDigest: sha256(Buffer.from('x')),
          onIntegrityFailure: 'quarantine',
        }),
      );
      expect(code).toBe('ERR_INTEGRITY');
      expect(existsSync(dest)).toBe(false);
      const quarantined = readdirSync(dir).filter((f) => f.startsWith('o.quarantine-'));
      expect(quarantined).toHaveLength(1);
      expect(readFileSync(join(dir, quarantined[0])).equals(body)).toBe(true);
    });

    it('fails with ERR_TOO_LARGE before any data when the announced size exceeds the cap', async () => {
      server = await startFileServer(pki, randomBytes(100_000));
      const dest = join(dir, 'o');
      const code = await codeOf(
        new SecureDownloader(transport).download(server.url, dest, { ...fast, maxSize: 50_000 }),
      );
      expect(code).toBe('ERR_TOO_LARGE');
      expect(existsSync(partPathOf(dest))).toBe(false);
    });

    it('fails with ERR_DISK_FULL before writing when the file cannot fit', async () => {
      server = await startFileServer(pki, randomBytes(1000));
      // Announce an enormous file; the free-space check must refuse it before any write.
      server.plan = () => ({
        contentRange: 'bytes 0-32767/1000000000000000',
        contentLength: 32768,
      });
      const dest = join(dir, 'o');
      const code = await codeOf(
        new SecureDownloader(transport).download(server.url, dest, {
          ...fast,
          maxSize: Number.MAX_SAFE_INTEGER,
        }),
      );
      expect(code).toBe('ERR_DISK_FULL');
      expect(existsSync(partPathOf(dest))).toBe(false);
    });

    it('stays correct under random per-connection drops with 6 segments', async () => {
      const body = randomBytes(1_500_000);
      server = await startFileServer(pki, body);
      let seed = 42;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      server.plan = () =>
        rand() < 0.5
          ? { dropAfter: Math.floor(rand() * 100_000), sliceBytes: 8192 }
          : { sliceBytes: 8192 };
      const dest = join(dir, 'o');
      const result = await new SecureDownloader(transport).download(server.url, dest, {
        ...fast,
        connections: 6,
        segmentAttempts: 50,
        expectedDigest: sha256(body),
      });
      expect(result.sha256).toBe(sha256(body));
      expect(readFileSync(dest).equals(body)).toBe(true);
      expect(
        server.requests.filter((r) => r.bodyBytes > 0 && r.status === 206).length,
      ).toBeGreaterThan(6);
    });

    it('gives up with the last error after the segment attempts are spent, keeping the part', async () => {
      const body = randomBytes(100_000);
      server = await startFileServer(pki, body);
      server.plan = (i) => (i === 0 ? { dropAfter: 20_000, sliceBytes: 4096 } : { status: 503 });
      const dest = join(dir, 'o');
      const code = await codeOf(
        new SecureDownloader(transport).download(server.url, dest, {
          ...whole,
          connections: 1,
          segmentAttempts: 3,
        }),
      );
      expect(code).toBe('ERR_HTTP_STATUS');
      expect(existsSync(dest)).toBe(false);
      expect(existsSync(partPathOf(dest))).toBe(true);
    });

    it('cancels promptly with ERR_ABORTED and leaves dest absent', async () => {
      const body = randomBytes(500_000);
      server = await startFileServer(pki, body);
      server.plan = () => ({ sliceBytes: 8192, delayMs: 50 });
      const controller = new AbortController();
      const dest = join(dir, 'o');
      setTimeout(() => controller.abort(), 150);
      const started = Date.now();
      const code = await codeOf(
        new SecureDownloader(transport).download(
          server.url,
          dest,
          { ...fast, connections: 3 },
          controller.signal,
        ),
      );
      expect(code).toBe('ERR_ABORTED');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(existsSync(dest)).toBe(false);
    });

    it('rejects at once when the signal is already aborted', async () => {
      server = await startFileServer(pki, randomBytes(1000));
      const code = await codeOf(
        new SecureDownloader(transport).download(
          server.url,
          join(dir, 'o'),
          fast,
          AbortSignal.abort(),
        ),
      );
      expect(code).toBe('ERR_ABORTED');
      expect(server.requests).toHaveLength(0);
    });

    it('reports the stalled phase while no bytes arrive, then downloading again', async () => {
      const body = randomBytes(64 * 1024);
      server = await startFileServer(pki, body);
      server.plan = () => ({ sliceBytes: 32 * 1024, delayMs: 400 });
      const phases: { phase: DownloadPhase; stalledSince?: number }[] = [];
      await new SecureDownloader(transport).download(server.url, join(dir, 'o'), {
        ...fast,
        connections: 1,
        stallAfterMs: 100,
        observer: {
          onPhase: (phase, info) => phases.push({ phase, stalledSince: info?.stalledSince }),
        },
      });
      const i = phases.findIndex((p) => p.phase === 'stalled');
      expect(i).toBeGreaterThan(0);
      expect(phases[i].stalledSince).toBeLessThanOrEqual(Date.now());
      expect(phases.slice(i + 1).map((p) => p.phase)).toContain('downloading');
    });

    it('keeps the progress event contract: throttled, monotonic, per-segment, final 100%', async () => {
      const body = randomBytes(600_000);
      server = await startFileServer(pki, body);
      server.plan = () => ({ sliceBytes: 16 * 1024, delayMs: 5 });
      const events: { at: number; p: DownloadProgress }[] = [];
      const phases: DownloadPhase[] = [];
      await new SecureDownloader(transport).download(server.url, join(dir, 'o'), {
        ...fast,
        connections: 3,
        progressIntervalMs: 50,
        observer: {
          onProgress: (p) => events.push({ at: performance.now(), p }),
          onPhase: (ph) => phases.push(ph),
        },
      });
      expect(events.length).toBeGreaterThan(2);
      const last = events[events.length - 1].p;
      expect(last).toMatchObject({
        total: body.length,
        downloaded: body.length,
        percent: 100,
        etaSeconds: 0,
      });
      expect(last.segments.length).toBeGreaterThan(1);
      // Segments are inclusive ranges that cover the file exactly, each fully downloaded.
      let next = 0;
      for (const s of last.segments) {
        expect(s.start).toBe(next);
        expect(s.downloaded).toBe(s.end - s.start + 1);
        next = s.end + 1;
      }
      expect(next).toBe(body.length);
      for (let i = 1; i < events.length; i++) {
        expect(events[i].p.downloaded).toBeGreaterThanOrEqual(events[i - 1].p.downloaded);
        // All but the guaranteed final event respect the interval (small slack for timer granularity).
        if (i < events.length - 1)
          expect(events[i].at - events[i - 1].at).toBeGreaterThanOrEqual(45);
      }
      expect(events.some((e) => e.p.bytesPerSecond > 0)).toBe(true);
      expect(phases[0]).toBe('connecting');
      expect(phases).toContain('downloading');
      expect(phases[phases.length - 1]).toBe('verifying');
    });
  });
});
