import { describe, expect, it } from 'vitest';
import { hostMatches, normalizeHostPattern } from './host-pattern';

describe('host-pattern', () => {
  describe('hostMatches()', () => {
    it.each([
      ['example.com', 'example.com', true],
      ['example.com', 'EXAMPLE.com.', true],
      ['example.com', 'www.example.com', false],
      ['*.example.com', 'www.example.com', true],
      ['*.example.com', 'example.com', false],
      ['*.example.com', 'a.b.example.com', false],
      ['*.example.com', 'wwwexample.com', false],
      ['**.example.com', 'www.example.com', true],
      ['**.example.com', 'a.b.example.com', true],
      ['**.example.com', 'example.com', false],
      ['**.example.com', 'badexample.com', false],
      ['127.0.0.1', '127.0.0.1', true],
      ['::1', '[::1]', true],
    ])('%s vs %s → %s', (pattern, host, expected) => {
      expect(hostMatches(normalizeHostPattern(pattern), host)).toBe(expected);
    });
  });

  describe('normalizeHostPattern()', () => {
    it('lower-cases and strips a trailing dot', () => {
      expect(normalizeHostPattern('*.Example.COM.')).toBe('*.example.com');
    });
    it.each(['', '*.', 'a..b', '***.x.com', '*.127.0.0.1', 'exa mple.com', 'x.*.com'])(
      'rejects %j',
      (p) => {
        expect(() => normalizeHostPattern(p)).toThrow(
          expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
        );
      },
    );
  });
});
