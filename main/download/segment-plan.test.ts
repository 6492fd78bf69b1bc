import { describe, expect, it } from 'vitest';
import {
  allDone,
  applySplit,
  doneBytes,
  isValidCover,
  pickWork,
  planSegments,
  remainingOf,
} from './segment-plan';

describe('segment-plan', () => {
  describe('planSegments()', () => {
    it.each([
      [
        100,
        4,
        10,
        [
          [0, 25],
          [25, 50],
          [50, 75],
          [75, 100],
        ],
      ],
      [
        100,
        4,
        40,
        [
          [0, 50],
          [50, 100],
        ],
      ],
      [10, 16, 100, [[0, 10]]],
      [
        101,
        2,
        1,
        [
          [0, 50],
          [50, 101],
        ],
      ],
      [0, 4, 1, [[0, 0]]],
    ])('splits %i bytes over %i connections with min %i', (total, connections, min, expected) => {
      const plan = planSegments(total, connections, min);
      expect(plan.map((s) => [s.start, s.end])).toEqual(expected);
      expect(isValidCover(plan, total)).toBe(true);
    });
  });

  describe('pickWork()', () => {
    it('resumes the lowest idle unfinished segment first', () => {
      const segments = [
        { start: 0, end: 10, done: 10 },
        { start: 10, end: 20, done: 3 },
        { start: 20, end: 30, done: 0 },
      ];
      expect(pickWork(segments, new Set(), 1)).toEqual({ kind: 'resume', index: 1 });
      expect(pickWork(segments, new Set([1]), 1)).toEqual({ kind: 'resume', index: 2 });
    });

    it('splits the largest busy segment in half of what remains', () => {
      const segments = [
        { start: 0, end: 100, done: 20 },
        { start: 100, end: 200, done: 90 },
      ];
      expect(pickWork(segments, new Set([0, 1]), 10)).toEqual({ kind: 'split', index: 0, at: 60 });
    });

    it('does not split below twice the minimum segment size', () => {
      const segments = [{ start: 0, end: 100, done: 61 }];
      expect(pickWork(segments, new Set([0]), 20)).toBeNull();
      expect(pickWork(segments, new Set([0]), 19)).toEqual({ kind: 'split', index: 0, at: 81 });
    });

    it('returns null when everything is done or owned and small', () => {
      expect(pickWork([{ start: 0, end: 5, done: 5 }], new Set(), 1)).toBeNull();
    });
  });

  describe('applySplit()', () => {
    it('shrinks the owner and inserts the new segment after it', () => {
      const next = applySplit([{ start: 0, end: 100, done: 20 }], 0, 60);
      expect(next).toEqual([
        { start: 0, end: 60, done: 20 },
        { start: 60, end: 100, done: 0 },
      ]);
      expect(isValidCover(next, 100)).toBe(true);
    });

    it('refuses a split inside the fetched part', () => {
      expect(() => applySplit([{ start: 0, end: 100, done: 50 }], 0, 40)).toThrow(RangeError);
    });

    it('keeps a valid cover through many dynamic splits', () => {
      let segments = [{ start: 0, end: 1_000_000, done: 0 }];
      const busy = new Set<number>([0]);
      for (let i = 0; i < 20; i++) {
        const pick = pickWork(segments, busy, 1000);
        if (!pick || pick.kind !== 'split') break;
        segments = applySplit(segments, pick.index, pick.at);
        busy.clear();
        segments.forEach((_, j) => busy.add(j));
        segments = segments.map((s) => ({ ...s, done: Math.floor(remainingOf(s) / 3) }));
      }
      expect(segments.length).toBeGreaterThan(10);
      expect(isValidCover(segments, 1_000_000)).toBe(true);
    });
  });

  describe('isValidCover()', () => {
    it.each([
      [[], 0, false],
      [[{ start: 0, end: 10, done: 10 }], 10, true],
      [[{ start: 0, end: 10, done: 11 }], 10, false],
      [
        [
          { start: 0, end: 5, done: 0 },
          { start: 6, end: 10, done: 0 },
        ],
        10,
        false,
      ],
      [
        [
          { start: 0, end: 5, done: 0 },
          { start: 4, end: 10, done: 0 },
        ],
        10,
        false,
      ],
      [[{ start: 0, end: 5, done: -1 }], 5, false],
      [[{ start: 0, end: 5, done: 0 }], 6, false],
    ])('judges %j over %i as %s', (segments, total, ok) => {
      expect(isValidCover(segments, total)).toBe(ok);
    });
  });

  describe('allDone() / doneBytes()', () => {
    it('sums fetched bytes and knows when all are done', () => {
      const segments = [
        { start: 0, end: 10, done: 10 },
        { start: 10, end: 20, done: 4 },
      ];
      expect(doneBytes(segments)).toBe(14);
      expect(allDone(segments)).toBe(false);
      expect(allDone([{ start: 0, end: 10, done: 10 }])).toBe(true);
    });
  });
});
