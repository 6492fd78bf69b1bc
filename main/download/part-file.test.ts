import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchWriter } from './batch-writer';
import { toDiskError } from './errors';
import { FrontierHasher } from './frontier-hasher';
import { dropBytes, PartFile } from './part-file';
import { ensureFreeSpace, freeBytes } from './disk-space';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dl-part-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('part-file', () => {
  describe('PartFile', () => {
    it('preallocates and writes positionally out of order', async () => {
      const path = join(dir, 'p');
      const part = await PartFile.open(path, true);
      await part.preallocate(10);
      await part.writeAt([Buffer.from('fgh'), Buffer.from('ij')], 5);
      await part.writeAt([Buffer.from('abcde')], 0);
      await part.sync();
      await part.close();
      expect(readFileSync(path, 'utf8')).toBe('abcdefghij');
      expect(statSync(path).size).toBe(10);
    });

    it('keeps content when reopened without truncation', async () => {
      const path = join(dir, 'p');
      const a = await PartFile.open(path, true);
      await a.writeAt([Buffer.from('keep')], 0);
      await a.close();
      const b = await PartFile.open(path, false);
      expect(await b.size()).toBe(4);
      await b.close();
    });

    it('maps ENOSPC from a full device to ERR_DISK_FULL', async () => {
      // /dev/full fails every write with ENOSPC, exactly like a full disk.
      const part = await PartFile.open('/dev/full', false);
      await expect(part.writeAt([Buffer.from('x')], 0)).rejects.toMatchObject({
        code: 'ERR_DISK_FULL',
        retryable: false,
      });
      await part.close();
    });
  });

  describe('dropBytes()', () => {
    it('drops across buffer boundaries without copying', () => {
      const out = dropBytes([Buffer.from('abc'), Buffer.from('def')], 4);
      expect(Buffer.concat(out).toString()).toBe('ef');
      expect(dropBytes([Buffer.from('abc')], 3)).toEqual([]);
    });
  });

  describe('toDiskError()', () => {
    it('classifies errno codes', () => {
      expect(toDiskError(Object.assign(new Error('x'), { code: 'EDQUOT' }), 'w').code).toBe(
        'ERR_DISK_FULL',
      );
      expect(toDiskError(Object.assign(new Error('x'), { code: 'EACCES' }), 'w').code).toBe(
        'ERR_DISK',
      );
    });
  });
});

describe('disk-space', () => {
  describe('ensureFreeSpace()', () => {
    it('passes for small needs and throws ERR_DISK_FULL beyond the free space', async () => {
      const free = await freeBytes(dir);
      expect(free).toBeGreaterThan(0);
      await expect(ensureFreeSpace(dir, 1)).resolves.toBeUndefined();
      await expect(ensureFreeSpace(dir, free + 1024 ** 4)).rejects.toMatchObject({
        code: 'ERR_DISK_FULL',
      });
    });
  });
});

describe('frontier-hasher', () => {
  describe('FrontierHasher', () => {
    it('hashes out-of-order segment writes to the digest of the whole file', async () => {
      const data = randomBytes(3 * 1024 * 1024 + 123);
      const part = await PartFile.open(join(dir, 'p'), true);
      await part.preallocate(data.length);
      // Three segments written in an interleaved, out-of-order pattern.
      const segs = [
        { start: 0, end: 1_000_000, written: 0 },
        { start: 1_000_000, end: 2_500_000, written: 0 },
        { start: 2_500_000, end: data.length, written: 0 },
      ];
      const writtenEnd = (pos: number): number => {
        let p = pos;
        for (;;) {
          const s = segs.find((x) => x.start <= p && p < x.start + x.written);
          if (!s) return p;
          p = s.start + s.written;
        }
      };
      const hasher = new FrontierHasher(part, writtenEnd, false);
      const writers = segs.map(
        (s) =>
          new BatchWriter(part, s.start, 100_000, (at, bufs, n) => {
            s.written += n;
            hasher.onWritten(at, bufs);
          }),
      );
      const order = [2, 1, 0, 2, 0, 1];
      const cursors = segs.map((s) => s.start);
      while (cursors.some((c, i) => c < segs[i].end)) {
        for (const i of order) {
          if (cursors[i] >= segs[i].end) continue;
          const n = Math.min(37_000, segs[i].end - cursors[i]);
          await writers[i].push(data.subarray(cursors[i], cursors[i] + n));
          cursors[i] += n;
        }
      }
      await Promise.all(writers.map((w) => w.drain()));
      const { sha256 } = await hasher.finish(data.length);
      expect(sha256.toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
      // Segment 0 was hashed from memory; later segments were partly re-read.
      expect(hasher.reread).toBeGreaterThan(0);
      expect(hasher.reread).toBeLessThan(data.length);
      await part.close();
    });
  });
});
