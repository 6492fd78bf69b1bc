import { describe, expect, it } from 'vitest';
import { coveredBytes, mergeRanges, rangesFromSegments } from './byte-ranges';

describe('byte-ranges', () => {
  describe('mergeRanges()', () => {
    it('merges overlapping and touching ranges and drops empty ones', () => {
      expect(
        mergeRanges([
          [10, 20],
          [0, 5],
          [5, 8],
          [15, 30],
          [40, 40],
        ]),
      ).toEqual([
        [0, 8],
        [10, 30],
      ]);
    });
  });
  describe('rangesFromSegments()', () => {
    it('turns inclusive segments with progress into completed half-open ranges', () => {
      const r = rangesFromSegments([
        { start: 0, end: 99, downloaded: 100 },
        { start: 100, end: 199, downloaded: 30 },
        { start: 200, end: 299, downloaded: 0 },
      ]);
      expect(r).toEqual([[0, 130]]);
      expect(coveredBytes(r)).toBe(130);
    });
    it('never extends a range past its segment end', () => {
      expect(rangesFromSegments([{ start: 0, end: 9, downloaded: 50 }])).toEqual([[0, 10]]);
    });
  });
});
