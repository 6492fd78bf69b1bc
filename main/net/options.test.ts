import { describe, expect, it } from 'vitest';
import {
  defaultConnectionSecurityOptions,
  mergeOptions,
  normalizeTlsVersion,
  resolveOptions,
} from './options';

describe('options', () => {
  describe('defaultConnectionSecurityOptions()', () => {
    it('is secure and suits multi-gigabyte downloads', () => {
      const o = defaultConnectionSecurityOptions();
      expect(o.minTlsVersion).toBe('TLSv1.3');
      expect(o.useSystemRoots).toBe(true);
      expect(o.timeouts.total).toBe(0);
      expect(o.timeouts.idle).toBeGreaterThan(0);
      expect(o.maxRedirects).toBe(10);
    });
    it('bounds a slow drip with a curl-style minimum rate (1 KiB/s over 60 s)', () => {
      expect(defaultConnectionSecurityOptions().timeouts.lowSpeed).toEqual({
        bytesPerSecond: 1024,
        windowMs: 60_000,
      });
    });
  });

  describe('mergeOptions()', () => {
    it('merges nested groups one level deep', () => {
      const o = mergeOptions(defaultConnectionSecurityOptions(), { timeouts: { connect: 5 } });
      expect(o.timeouts.connect).toBe(5);
      expect(o.timeouts.idle).toBe(60_000);
    });
    it('never allows a minimum below TLS 1.2', () => {
      expect(() => resolveOptions({ minTlsVersion: 'TLSv1.1' as never })).toThrow(
        /never go below TLS 1.2/,
      );
    });
    it('rejects malformed pins at configuration time with ERR_INVALID_PIN', () => {
      expect(() =>
        resolveOptions({ pins: [{ host: 'x.example', publicKeyHashes: ['bad'] }] }),
      ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_PIN' }));
    });
    it('merges a partial lowSpeed over the base and allows 0 to disable it', () => {
      const o = resolveOptions({ timeouts: { lowSpeed: { bytesPerSecond: 0 } } });
      expect(o.timeouts.lowSpeed).toEqual({ bytesPerSecond: 0, windowMs: 60_000 });
      expect(resolveOptions({ timeouts: { idle: 5 } }).timeouts.lowSpeed.bytesPerSecond).toBe(1024);
    });
    it('rejects a negative or non-numeric lowSpeed', () => {
      expect(() => resolveOptions({ timeouts: { lowSpeed: { windowMs: -1 } } })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
      expect(() =>
        resolveOptions({ timeouts: { lowSpeed: { bytesPerSecond: Number.NaN } } }),
      ).toThrow(/lowSpeed\.bytesPerSecond/);
    });
    it('caps redirects at 10', () => {
      expect(() => resolveOptions({ maxRedirects: 11 })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
    });
  });

  describe('normalizeTlsVersion()', () => {
    it.each([
      ['1.2', 'TLSv1.2'],
      ['TLSv1.3', 'TLSv1.3'],
      ['tls1.3', 'TLSv1.3'],
    ])('%s → %s', (input, out) => {
      expect(normalizeTlsVersion(input)).toBe(out);
    });
    it.each(['1.0', '1.1', 'TLSv1', 'ssl3'])('refuses %s', (v) => {
      expect(() => normalizeTlsVersion(v)).toThrow();
    });
  });
});
