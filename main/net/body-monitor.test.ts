import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError } from '../errors';
import { createTestPki, type TestPki } from '../test-support/pki';
import { startTlsServer, type TlsTestServer } from '../test-support/tls-server';
import { classifyRetryable } from './retry-classify';
import { SecureClient } from './secure-client';
import { ThrottleGroup } from './throttle-bucket';
import type { PhaseTimeouts } from './types';

let pki: TestPki;
const closers: (() => Promise<void>)[] = [];

beforeAll(() => {
  pki = createTestPki();
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  pki.cleanup();
});

/** A server that writes `total` bytes as `slice`-byte pieces every `everyMs` (0 = at once). */
async function dripServer(total: number, slice: number, everyMs: number): Promise<TlsTestServer> {
  const s = await startTlsServer({
    cert: pki.chainPem,
    key: pki.leaf.key,
    handler: (_q, res: ServerResponse) => {
      res.writeHead(200, { 'content-length': String(total) });
      if (everyMs === 0) {
        res.end(Buffer.alloc(total, 0x61));
        return;
      }
      let sent = 0;
      const t = setInterval(() => {
        const n = Math.min(slice, total - sent);
        sent += n;
        if (sent >= total) {
          clearInterval(t);
          res.end(Buffer.alloc(n, 0x61));
        } else res.write(Buffer.alloc(n, 0x61));
      }, everyMs);
      res.on('close', () => clearInterval(t));
    },
  });
  closers.push(() => s.close());
  return s;
}

function client(
  timeouts: Partial<PhaseTimeouts>,
  bandwidthLimit: number | null = null,
): SecureClient {
  const c = new SecureClient({
    options: {
      ca: [pki.root.cert],
      useSystemRoots: false,
      proxyFromEnv: false,
      retry: { maxAttempts: 1 },
      timeouts: { idle: 5000, ...timeouts },
      bandwidthLimit,
    },
  });
  closers.push(() => c.close());
  return c;
}

async function drain(body: NodeJS.ReadableStream): Promise<number> {
  let bytes = 0;
  for await (const chunk of body) bytes += (chunk as Buffer).length;
  return bytes;
}

async function errorOf(p: Promise<unknown>): Promise<AppError & { phase?: string }> {
  try {
    await p;
  } catch (err) {
    return err as AppError & { phase?: string };
  }
  throw new Error('expected a rejection');
}

describe('body-monitor', () => {
  describe('monitorBody() lowSpeed', () => {
    it('fails a drip below the floor with phase lowSpeed after about one window', async () => {
      // 100 bytes every 100 ms (~1 KB/s): far under the 5 s idle timeout, below a 4 KiB/s floor.
      const s = await dripServer(1 << 20, 100, 100);
      const c = client({ lowSpeed: { bytesPerSecond: 4096, windowMs: 1000 } });
      const started = Date.now();
      const res = await c.get(s.url);
      const err = await errorOf(drain(res.body));
      const elapsed = Date.now() - started;
      expect(err).toMatchObject({ code: 'ERR_TIMEOUT', phase: 'lowSpeed', retryable: true });
      expect(err.message).toMatch(/below the minimum of 4096 bytes\/s/);
      expect(classifyRetryable({ error: err, method: 'GET' }).retryable).toBe(true);
      // Never before a full window; well before the idle timeout could have ended it.
      expect(elapsed).toBeGreaterThanOrEqual(1000);
      expect(elapsed).toBeLessThan(4500);
    });

    it('lets the same drip run when the check is disabled (0)', async () => {
      const s = await dripServer(1500, 100, 100);
      const c = client({ lowSpeed: { bytesPerSecond: 0, windowMs: 1000 } });
      const res = await c.get(s.url);
      expect(await drain(res.body)).toBe(1500);
    });

    it('completes a steady slow transfer above the floor', async () => {
      // 512 bytes every 100 ms (~5 KB/s) against a 1 KiB/s floor over 1 s windows.
      const s = await dripServer(10 * 1024, 512, 100);
      const c = client({ lowSpeed: { bytesPerSecond: 1024, windowMs: 1000 } });
      const res = await c.get(s.url);
      expect(await drain(res.body)).toBe(10 * 1024);
    });

    it('never kills a transfer throttled by a user limit below the floor', async () => {
      // Bandwidth limit 16 KiB/s, floor 64 KiB/s: the server is fast, we are the slow side.
      const s = await dripServer(56 * 1024, 0, 0);
      const c = client({ lowSpeed: { bytesPerSecond: 64 * 1024, windowMs: 1000 } }, 16 * 1024);
      const res = await c.get(s.url, { highWaterMark: 4096 });
      expect(await drain(res.body)).toBe(56 * 1024);
    });

    it('never kills a transfer paced by a job throttle group below the floor', async () => {
      const s = await dripServer(56 * 1024, 0, 0);
      const c = client({ lowSpeed: { bytesPerSecond: 64 * 1024, windowMs: 1000 } });
      const throttle = new ThrottleGroup(16 * 1024);
      const res = await c.get(s.url, { highWaterMark: 4096, throttle });
      expect(await drain(res.body)).toBe(56 * 1024);
    });

    it('does not count a slow consumer (full buffer) against the server', async () => {
      // 64 KiB/s floor over 500 ms windows; nothing is read for 1.5 s, so only paused time
      // passes. Counting it would fail the body (no bytes arrive while the buffers are full).
      const s = await dripServer(4 << 20, 0, 0);
      const c = client({ lowSpeed: { bytesPerSecond: 64 * 1024, windowMs: 500 } });
      const res = await c.get(s.url, { highWaterMark: 64 * 1024 });
      await new Promise((r) => setTimeout(r, 1500));
      expect(await drain(res.body)).toBe(4 << 20);
    });
  });
});
