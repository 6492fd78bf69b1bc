import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestsEqual, FileHasher, parseExpectedDigest } from './integrity';

const data = Buffer.from('hello world');
const hex256 = createHash('sha256').update(data).digest('hex');
const hex512 = createHash('sha512').update(data).digest('hex');

describe('integrity', () => {
  describe('parseExpectedDigest()', () => {
    it.each([
      [hex256, 'sha256'],
      [hex256.toUpperCase(), 'sha256'],
      [hex512, 'sha512'],
      [`sha256:${hex256}`, 'sha256'],
      ['sha256-' + Buffer.from(hex256, 'hex').toString('base64'), 'sha256'],
      ['sha512-' + Buffer.from(hex512, 'hex').toString('base64'), 'sha512'],
    ])('parses %s as %s', (value, algorithm) => {
      const parsed = parseExpectedDigest(value);
      expect(parsed.algorithm).toBe(algorithm);
      expect(parsed.digest.toString('hex')).toBe(algorithm === 'sha256' ? hex256 : hex512);
    });

    it.each([
      ['abc'],
      ['zz'.repeat(32)],
      [hex256.slice(2)],
      ['sha256-' + Buffer.alloc(31).toString('base64')],
      ['sha256-not base64!'],
      ['md5-' + Buffer.alloc(16).toString('base64')],
    ])('rejects %s with ERR_INVALID_HASH', (value) => {
      expect(() => parseExpectedDigest(value)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_HASH' }),
      );
    });

    it('rejects a digest of the other algorithm when one is required', () => {
      expect(() => parseExpectedDigest(hex512, 'sha256')).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_HASH' }),
      );
    });
  });

  describe('digestsEqual()', () => {
    it('compares equal and unequal digests, and lengths', () => {
      const a = Buffer.from(hex256, 'hex');
      const b = Buffer.from(a);
      expect(digestsEqual(a, b)).toBe(true);
      b[31] ^= 1;
      expect(digestsEqual(a, b)).toBe(false);
      expect(digestsEqual(a, a.subarray(1))).toBe(false);
    });
  });

  describe('FileHasher', () => {
    it('hashes chunks in order to the same digest as one shot, with sha512 on request', () => {
      const h = new FileHasher(true);
      h.update(data.subarray(0, 3));
      h.update(data.subarray(3));
      const d = h.digest();
      expect(h.position).toBe(data.length);
      expect(d.sha256.toString('hex')).toBe(hex256);
      expect(d.sha512?.toString('hex')).toBe(hex512);
      expect(new FileHasher(false).digest().sha512).toBeNull();
    });
  });
});
