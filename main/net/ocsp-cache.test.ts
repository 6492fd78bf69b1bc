import { describe, expect, it } from 'vitest';
import { OcspCache } from './ocsp-cache';
import type { VerifiedOcsp } from './ocsp-verify';

const info = (nextUpdate: number | null): VerifiedOcsp => ({
  status: 'good',
  source: 'responder',
  thisUpdate: new Date(0).toISOString(),
  nextUpdate: nextUpdate === null ? null : new Date(nextUpdate).toISOString(),
  revokedAt: null,
  detail: null,
});

describe('ocsp-cache', () => {
  describe('OcspCache', () => {
    it('returns an answer until its nextUpdate and drops it after', () => {
      let now = 1_000_000;
      const cache = new OcspCache(10, () => now);
      cache.set('a', info(now + 5000));
      expect(cache.get('a')?.status).toBe('good');
      now += 5000;
      expect(cache.get('a')).toBeUndefined();
    });

    it('never caches an answer without nextUpdate or already past it', () => {
      const now = 1_000_000;
      const cache = new OcspCache(10, () => now);
      cache.set('a', info(null));
      cache.set('b', info(now - 1));
      expect(cache.size).toBe(0);
    });

    it('evicts the oldest entry beyond its capacity', () => {
      const cache = new OcspCache(2, () => 0);
      cache.set('a', info(10));
      cache.set('b', info(10));
      cache.set('c', info(10));
      expect(cache.get('a')).toBeUndefined();
      expect(cache.get('c')).toBeDefined();
    });
  });
});
