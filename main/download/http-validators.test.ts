import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import {
  checkContentRange,
  ifRangeValue,
  parseContentLength,
  parseContentRange,
  sameVersion,
  validatorOf,
} from './http-validators';

describe('http-validators', () => {
  describe('parseContentRange()', () => {
    it.each([
      ['bytes 0-99/100', { start: 0, end: 99, total: 100 }],
      ['bytes 10-19/*', { start: 10, end: 19, total: null }],
      ['BYTES 5-5/6', { start: 5, end: 5, total: 6 }],
      ['bytes 0-100/100', null],
      ['bytes 9-1/100', null],
      ['bytes */100', null],
      ['items 0-1/2', null],
      ['bytes -1-5/10', null],
      [undefined, null],
    ])('parses %j', (value, expected) => {
      expect(parseContentRange(value)).toEqual(expected);
    });
  });

  describe('parseContentLength()', () => {
    it('reads plain integers only', () => {
      expect(parseContentLength({ 'content-length': '42' })).toBe(42);
      expect(parseContentLength({ 'content-length': '4x' })).toBeNull();
      expect(parseContentLength({})).toBeNull();
    });
  });

  describe('validatorOf() / ifRangeValue()', () => {
    it('prefers a strong ETag', () => {
      const v = validatorOf({ etag: '"abc"', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' });
      expect(ifRangeValue(v)).toBe('"abc"');
    });
    it('never uses a weak ETag and falls back to Last-Modified', () => {
      const v = validatorOf({ etag: 'W/"abc"', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' });
      expect(v.etag).toBeNull();
      expect(ifRangeValue(v)).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
    });
    it('has no If-Range value without validators', () => {
      expect(ifRangeValue(validatorOf({}))).toBeNull();
    });
  });

  describe('sameVersion()', () => {
    const known = { etag: '"v1"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' };
    it('accepts the same ETag and a response without one', () => {
      expect(sameVersion(known, { etag: '"v1"' })).toBe(true);
      expect(sameVersion(known, {})).toBe(true);
    });
    it('rejects a different ETag', () => {
      expect(sameVersion(known, { etag: '"v2"' })).toBe(false);
    });
    it('compares Last-Modified when there is no ETag', () => {
      const lm = { etag: null, lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' };
      expect(sameVersion(lm, { 'last-modified': 'Tue, 02 Jan 2024 00:00:00 GMT' })).toBe(false);
      expect(sameVersion(lm, { 'last-modified': lm.lastModified })).toBe(true);
    });
  });

  describe('checkContentRange()', () => {
    const ok = { 'content-range': 'bytes 100-199/1000', 'content-length': '100' };
    it('accepts the exact range asked for', () => {
      expect(checkContentRange(ok, { start: 100, end: 199 }, 1000)).toEqual({
        start: 100,
        end: 199,
        total: 1000,
      });
    });
    it('accepts an open range running to the end and learns the total', () => {
      expect(
        checkContentRange({ 'content-range': 'bytes 0-999/1000' }, { start: 0, end: null }, null)
          .total,
      ).toBe(1000);
    });
    it.each([
      [{ 'content-range': 'bytes 101-199/1000' }, 'start'],
      [{ 'content-range': 'bytes 100-198/1000' }, 'end'],
      [{ 'content-range': 'bytes 100-199/2000' }, 'total'],
      [{ 'content-range': 'bytes 100-199/*' }, 'unknown total'],
      [{}, 'missing'],
      [{ 'content-range': 'bytes 100-199/1000', 'content-length': '99' }, 'length'],
    ])('throws ERR_RANGE_INVALID for %j (%s)', (headers, _why) => {
      try {
        checkContentRange(headers, { start: 100, end: 199 }, 1000);
        throw new Error('no throw');
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe('ERR_RANGE_INVALID');
      }
    });
  });
});
