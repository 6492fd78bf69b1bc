import { describe, expect, it } from 'vitest';
import { planRedirect } from './redirects';

const from = new URL('https://a.example/path');
const headers = { Authorization: 'Bearer t', Cookie: 'c=1', Accept: '*/*' };

describe('redirects', () => {
  describe('planRedirect()', () => {
    it('keeps credentials on a same-origin hop and resolves relative locations', () => {
      const p = planRedirect(from, '/other?q=1', headers, 0, 10);
      expect(p.url.href).toBe('https://a.example/other?q=1');
      expect(p.crossOrigin).toBe(false);
      expect(p.headers).toEqual(headers);
    });

    it('drops Authorization and Cookie on a cross-origin hop', () => {
      const p = planRedirect(from, 'https://b.example/x', headers, 0, 10);
      expect(p.crossOrigin).toBe(true);
      expect(p.headers).toEqual({ Accept: '*/*' });
    });

    it('treats another port as another origin', () => {
      expect(planRedirect(from, 'https://a.example:8443/', headers, 0, 10).headers).toEqual({
        Accept: '*/*',
      });
    });

    it.each(['http://a.example/x', 'ftp://a.example/', 'javascript:alert(1)'])(
      'refuses %s with ERR_REDIRECT_INSECURE',
      (loc) => {
        expect(() => planRedirect(from, loc, headers, 0, 10)).toThrow(
          expect.objectContaining({ code: 'ERR_REDIRECT_INSECURE' }),
        );
      },
    );

    it('refuses hop 11 with ERR_TOO_MANY_REDIRECTS', () => {
      expect(() => planRedirect(from, '/x', headers, 9, 10)).not.toThrow();
      expect(() => planRedirect(from, '/x', headers, 10, 10)).toThrow(
        expect.objectContaining({ code: 'ERR_TOO_MANY_REDIRECTS' }),
      );
    });
  });
});
