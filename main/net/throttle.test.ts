import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { parseRate, ThrottleGroup, TokenBucket } from './throttle-bucket';
import { ThrottleStream } from './throttle-stream';

/** A source of `total` bytes in 64 KiB chunks, as fast as it is read. */
function source(total: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      const n = Math.min(65536, total - sent);
      if (n <= 0) return void this.push(null);
      sent += n;
      this.push(Buffer.alloc(n));
    },
  });
}

function sink(onBytes: (n: number) => void = () => {}): Writable {
  return new Writable({
    write(chunk: Buffer, _e, cb) {
      onBytes(chunk.length);
      cb();
    },
  });
}

describe('throttle-bucket', () => {
  describe('TokenBucket.reserve()', () => {
    it('spaces reservations at the configured rate', () => {
      let now = 0;
      const b = new TokenBucket(1000, 0, () => now);
      expect(b.reserve(500)).toBe(500);
      expect(b.reserve(500)).toBe(1000);
      now = 1000;
      expect(b.reserve(100)).toBe(100);
    });

    it('lets an idle bucket save up only its burst allowance', () => {
      let now = 0;
      const b = new TokenBucket(1000, 50, () => now);
      now = 10_000;
      expect(b.reserve(50)).toBe(0);
      expect(b.reserve(50)).toBe(50);
    });

    it('rescales outstanding debt when the limit changes', () => {
      const now = 0;
      const b = new TokenBucket(1000, 0, () => now);
      b.reserve(2000); // paid until 2000 ms
      b.setLimit(2000);
      expect(b.reserve(0 + 1)).toBeCloseTo(1000.5, 3);
      b.setLimit(null);
      expect(b.reserve(10_000_000)).toBe(0);
    });

    it('refuses nonsense limits', () => {
      expect(() => new TokenBucket(0)).toThrow(RangeError);
      expect(() => new TokenBucket(-5)).toThrow(RangeError);
      expect(() => new TokenBucket(Number.NaN)).toThrow(RangeError);
    });
  });

  describe('parseRate()', () => {
    it.each([
      ['800', 800],
      ['10K', 10 * 1024],
      ['10M', 10 * 1024 * 1024],
      ['1.5m', 1.5 * 1024 * 1024],
      ['2G', 2 * 1024 ** 3],
      ['512KB/s', 512 * 1024],
    ])('parses %s', (text, bytes) => expect(parseRate(text)).toBe(bytes));
    it.each(['', 'fast', '-1M', '0', '10T'])('rejects %j', (text) =>
      expect(() => parseRate(text)).toThrow(RangeError),
    );
  });
});

describe('throttle-stream', () => {
  describe('ThrottleStream', () => {
    it('holds a stream near its limit (coarse: ±25% over ~1.5 s)', async () => {
      const rate = 1024 * 1024;
      const total = 1.5 * rate;
      const start = performance.now();
      await pipeline(source(total), new ThrottleStream([new TokenBucket(rate)]), sink());
      const seconds = (performance.now() - start) / 1000;
      const measured = total / seconds;
      expect(measured).toBeGreaterThan(rate * 0.75);
      expect(measured).toBeLessThan(rate * 1.25);
    });

    it('shares one job budget between the segments of a download', async () => {
      const group = new ThrottleGroup(1024 * 1024);
      const total = 512 * 1024;
      const start = performance.now();
      await Promise.all([
        pipeline(source(total), new ThrottleStream([group]), sink()),
        pipeline(source(total), new ThrottleStream([group]), sink()),
      ]);
      const seconds = (performance.now() - start) / 1000;
      // 1 MiB in total at 1 MiB/s: about 1 s, not the 0.5 s two separate budgets would allow.
      expect(seconds).toBeGreaterThan(0.75);
    });

    it('applies a limit changed mid-transfer without restarting it', async () => {
      const bucket = new TokenBucket(256 * 1024);
      let received = 0;
      const start = performance.now();
      setTimeout(() => bucket.setLimit(null), 300);
      await pipeline(
        source(4 * 1024 * 1024),
        new ThrottleStream([bucket]),
        sink((n) => (received += n)),
      );
      // At the initial 256 KiB/s the 4 MiB would take 16 s; lifting the limit finishes it early.
      expect(received).toBe(4 * 1024 * 1024);
      expect(performance.now() - start).toBeLessThan(8000);
    });

    it('obeys the stricter of a global limit and a job limit', async () => {
      const global = new TokenBucket(512 * 1024);
      const job = new ThrottleGroup(null);
      const start = performance.now();
      await pipeline(source(512 * 1024), new ThrottleStream([global, job]), sink());
      expect(performance.now() - start).toBeGreaterThan(700);
    });

    it('stops its timers when destroyed mid-wait', async () => {
      const s = new ThrottleStream([new TokenBucket(1024)]);
      s.write(Buffer.alloc(64 * 1024));
      s.destroy();
      await new Promise((r) => s.once('close', r));
      expect(s.destroyed).toBe(true);
    });
  });
});
