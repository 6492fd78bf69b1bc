import { describe, expect, it } from 'vitest';
import { job } from '../test-fixtures';
import { createFrameBatcher, mergeBatches } from './frame-batcher';

describe('frame-batcher', () => {
  describe('mergeBatches()', () => {
    it('keeps the newest snapshot per job', () => {
      const a = { jobs: [job({ id: 'a', updatedAt: 2, downloaded: 20 })], removed: [] };
      const b = {
        jobs: [job({ id: 'a', updatedAt: 1, downloaded: 10 }), job({ id: 'b' })],
        removed: [],
      };
      const m = mergeBatches(a, b);
      expect(m.jobs.map((j) => [j.id, j.downloaded])).toEqual([
        ['a', 20],
        ['b', 250],
      ]);
    });
    it('drops a job removed later and revives one re-added later', () => {
      const m1 = mergeBatches(
        { jobs: [job({ id: 'a' })], removed: [] },
        { jobs: [], removed: ['a'] },
      );
      expect(m1).toEqual({ jobs: [], removed: ['a'] });
      const m2 = mergeBatches(m1, { jobs: [job({ id: 'a', updatedAt: 9 })], removed: [] });
      expect(m2.removed).toEqual([]);
      expect(m2.jobs).toHaveLength(1);
    });
  });
  describe('createFrameBatcher()', () => {
    it('applies many pushes in one frame as one merged update', () => {
      const frames: (() => void)[] = [];
      const applied: number[][] = [];
      const b = createFrameBatcher<number[]>(
        (x, y) => x.concat(y),
        (v) => applied.push(v),
        (cb) => frames.push(cb),
      );
      for (let i = 0; i < 50; i++) b.push([i]);
      expect(frames).toHaveLength(1);
      expect(applied).toEqual([]);
      frames.shift()!();
      expect(applied).toHaveLength(1);
      expect(applied[0]).toHaveLength(50);
      b.push([99]);
      expect(frames).toHaveLength(1);
    });
    it('flush() applies at once and the pending frame then does nothing', () => {
      const frames: (() => void)[] = [];
      const applied: number[] = [];
      const b = createFrameBatcher<number>(
        (_x, y) => y,
        (v) => applied.push(v),
        (cb) => frames.push(cb),
      );
      b.push(1);
      b.push(2);
      b.flush();
      frames.shift()!();
      expect(applied).toEqual([2]);
      expect(b.pending()).toBe(false);
    });
  });
});
