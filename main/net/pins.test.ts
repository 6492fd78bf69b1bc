import { describe, expect, it } from 'vitest';
import { isValidPin, normalizePin } from './pins';

const B64 = Buffer.alloc(32, 9).toString('base64');

describe('pins', () => {
  describe('normalizePin()', () => {
    it.each([
      [`sha256/${B64}`, 'OkHttp form'],
      [`sha256//${B64}`, 'curl form'],
      [B64, 'bare base64'],
      [`  SHA256/${B64} `, 'mixed case with spaces'],
    ])('normalises %s (%s) to sha256/BASE64', (input) => {
      expect(normalizePin(input)).toBe(`sha256/${B64}`);
    });

    it('accepts bare base64 that contains slashes', () => {
      const slashy = Buffer.alloc(32, 0xff).toString('base64'); // "//////…"
      expect(normalizePin(slashy)).toBe(`sha256/${slashy}`);
      expect(normalizePin(`sha256/${slashy}`)).toBe(`sha256/${slashy}`);
    });

    it.each([
      ['', 'empty'],
      ['sha256/abc', 'too short'],
      [`sha1/${B64}`, 'other algorithm'],
      [`sha256/${B64.slice(0, -1)}!`, 'bad character'],
      [Buffer.alloc(48).toString('base64'), 'SHA-384 length'],
    ])('rejects %j (%s) with ERR_INVALID_PIN', (input) => {
      expect(() => normalizePin(input)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_PIN' }),
      );
    });
  });

  describe('isValidPin()', () => {
    it('tells valid from invalid pins', () => {
      expect(isValidPin(B64)).toBe(true);
      expect(isValidPin('nope')).toBe(false);
    });
  });
});
