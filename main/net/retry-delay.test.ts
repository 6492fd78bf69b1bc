import { describe, expect, it } from 'vitest';
import { computeRetryDelay, parseRetryAfter } from './retry-delay';

const base = {
  initialDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterMs: 5000,
  now: Date.parse('2030-01-01T00:00:00Z'),
};

describe('retry-delay', () => {
  describe('computeRetryDelay()', () => {
    it.each([
      // retry, random, expected: random × min(max, initial × 2^(retry-1))
      [1, 0.5, 50],
      [2, 0.5, 100],
      [3, 0.5, 200],
      [4, 0.999, 799],
      [5, 0.999, 999],
      [10, 0.5, 500],
      [1, 0, 0],
    ])('retry %i with random %f waits %i ms (full jitter, capped)', (retry, r, expected) => {
      expect(computeRetryDelay({ ...base, retry, random: () => r })).toBe(expected);
    });

    it.each([
      ['3', 3000],
      ['0', 0],
      ['120', 5000],
      ['Tue, 01 Jan 2030 00:00:02 GMT', 2000],
      ['Tue, 01 Jan 2030 01:00:00 GMT', 5000],
      ['Mon, 31 Dec 2029 23:00:00 GMT', 0],
    ])('honours Retry-After %j as %i ms (capped)', (retryAfter, expected) => {
      expect(computeRetryDelay({ ...base, retry: 1, retryAfter, random: () => 0.5 })).toBe(
        expected,
      );
    });

    it('falls back to backoff for an unparseable Retry-After', () => {
      expect(
        computeRetryDelay({ ...base, retry: 1, retryAfter: 'soon-ish 12', random: () => 1 - 1e-9 }),
      ).toBe(99);
    });
  });

  describe('parseRetryAfter()', () => {
    it('returns null when absent', () => {
      expect(parseRetryAfter(null, 0)).toBeNull();
      expect(parseRetryAfter('-5', 0)).toBeNull();
    });
  });
});
