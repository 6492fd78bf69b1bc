import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchWriter } from './batch-writer';
import { PartFile } from './part-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dl-batch-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Chunks of irregular sizes (some larger than a batch) covering `data`. */
function chunksOf(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const sizes = [1, 999, 16_384, 70_001, 3, 40_000];
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = Math.min(sizes[i % sizes.length], data.length - at);
    out.push(data.subarray(at, at + n));
    at += n;
  }
  return out;
}

describe('batch-writer', () => {
  describe('BatchWriter.push()', () => {
    it('writes every byte in order when the caller honours backpressure', async () => {
      const data = randomBytes(700_000);
      const part = await PartFile.open(join(dir, 'p'), true);
      const written: Array<[number, number]> = [];
      const writer = new BatchWriter(part, 0, 50_000, (at, bufs, n) => {
        expect(bufs.reduce((s, b) => s + b.length, 0)).toBe(n);
        written.push([at, n]);
      });
      for (const c of chunksOf(data)) await writer.push(c);
      await writer.drain();
      await part.close();
      expect(readFileSync(join(dir, 'p')).equals(data)).toBe(true);
      // Callbacks report contiguous, non-overlapping batches no larger than the batch size.
      let next = 0;
      for (const [at, n] of written) {
        expect(at).toBe(next);
        expect(n).toBeLessThanOrEqual(50_000);
        next += n;
      }
      expect(next).toBe(data.length);
    });

    it('keeps bytes in order when chunks arrive while a push is waiting', async () => {
      const data = randomBytes(500_000);
      const part = await PartFile.open(join(dir, 'p'), true);
      let reported = 0;
      const writer = new BatchWriter(part, 0, 30_000, (_at, _b, n) => {
        reported += n;
      });
      // Ignore backpressure entirely (a stream delivering after pause()).
      const waits: Promise<void>[] = [];
      for (const c of chunksOf(data)) {
        const w = writer.push(c);
        if (w) waits.push(w);
      }
      expect(waits.length).toBeGreaterThan(0);
      await writer.drain();
      expect(reported).toBe(data.length);
      await part.close();
      expect(readFileSync(join(dir, 'p')).equals(data)).toBe(true);
    });
  });

  describe('BatchWriter.drain()', () => {
    it('waits for a write started by a pending push (nothing is reported after drain)', async () => {
      const data = randomBytes(200_000);
      const part = await PartFile.open(join(dir, 'p'), true);
      let reported = 0;
      const writer = new BatchWriter(part, 0, 40_000, (_at, _b, n) => {
        reported += n;
      });
      // The last push returns a wait that the caller drops (its response ended), then drains.
      for (const c of chunksOf(data)) writer.push(c);
      await writer.drain();
      expect(reported).toBe(data.length);
      await new Promise((r) => setTimeout(r, 20));
      expect(reported).toBe(data.length);
      await part.close();
      expect(readFileSync(join(dir, 'p')).equals(data)).toBe(true);
    });

    it('rejects with ERR_DISK_FULL-style coded errors when the write fails', async () => {
      const part = await PartFile.open(join(dir, 'p'), true);
      await part.close(); // writes to a closed handle fail
      const writer = new BatchWriter(part, 0, 10, () => undefined);
      writer.push(Buffer.alloc(25));
      await expect(writer.drain()).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_/) });
    });
  });
});
