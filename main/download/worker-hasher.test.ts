import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchWriter } from './batch-writer';
import { PartFile } from './part-file';
import { WorkerHasher } from './worker-hasher';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dl-whash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('worker-hasher', () => {
  describe('WorkerHasher.finish()', () => {
    it('hashes out-of-order segment writes to the digest of the whole file', async () => {
      const data = randomBytes(20 * 1024 * 1024 + 321);
      const path = join(dir, 'p');
      const part = await PartFile.open(path, true);
      await part.preallocate(data.length);
      const cut = [0, 7_000_000, 13_000_000, data.length];
      const segs = [0, 1, 2].map((i) => ({ start: cut[i], end: cut[i + 1], written: 0 }));
      const writtenEnd = (pos: number): number => {
        let p = pos;
        for (;;) {
          const s = segs.find((x) => x.start <= p && p < x.start + x.written);
          if (!s) return p;
          p = s.start + s.written;
        }
      };
      const hasher = new WorkerHasher(path, writtenEnd, true);
      const writers = segs.map(
        (s) =>
          new BatchWriter(part, s.start, 1024 * 1024, (at, bufs, n) => {
            s.written += n;
            hasher.onWritten();
          }),
      );
      const cursors = segs.map((s) => s.start);
      while (cursors.some((c, i) => c < segs[i].end)) {
        for (const i of [2, 0, 1]) {
          if (cursors[i] >= segs[i].end) continue;
          const n = Math.min(300_000, segs[i].end - cursors[i]);
          await writers[i].push(data.subarray(cursors[i], cursors[i] + n));
          cursors[i] += n;
        }
      }
      await Promise.all(writers.map((w) => w.drain()));
      hasher.kick();
      const { sha256, sha512 } = await hasher.finish(data.length);
      expect(sha256.toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
      expect(sha512?.toString('hex')).toBe(createHash('sha512').update(data).digest('hex'));
      await hasher.close();
      await part.close();
    });

    it('hashes the bytes on disk, so a byte changed after the write changes the digest', async () => {
      const data = randomBytes(3 * 1024 * 1024);
      const path = join(dir, 'p');
      writeFileSync(path, data);
      const tampered = Buffer.from(data);
      tampered[12345] ^= 1;
      writeFileSync(path, tampered);
      const hasher = new WorkerHasher(path, () => data.length, false);
      hasher.kick();
      const { sha256, sha512 } = await hasher.finish(data.length);
      expect(sha512).toBeNull();
      expect(sha256.equals(createHash('sha256').update(data).digest())).toBe(false);
      expect(sha256.equals(createHash('sha256').update(tampered).digest())).toBe(true);
      await hasher.close();
    });

    it('rejects when the file holds fewer bytes than the total', async () => {
      const path = join(dir, 'p');
      writeFileSync(path, randomBytes(1000));
      const hasher = new WorkerHasher(path, () => 1000, false);
      await expect(hasher.finish(5000)).rejects.toThrow(/hashing failed/);
      await hasher.close();
    });

    it('rejects when the part file cannot be opened', async () => {
      const hasher = new WorkerHasher(join(dir, 'missing'), () => 0, false);
      await expect(hasher.finish(10)).rejects.toThrow();
      await hasher.close();
    });
  });
});
