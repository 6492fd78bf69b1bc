import { describe, expect, it } from 'vitest';
import { noProxyMatches, parseProxyUrl, resolveProxy } from './proxy-resolve';

const target = new URL('https://updates.example.com/feed');

describe('proxy-resolve', () => {
  describe('resolveProxy()', () => {
    const table: [string, Parameters<typeof resolveProxy>[1], string | null][] = [
      [
        'explicit proxy wins over env',
        { proxy: 'http://p:3128', proxyFromEnv: true, env: { HTTPS_PROXY: 'http://e:1' } },
        'http://p:3128/',
      ],
      [
        'explicit proxy ignores NO_PROXY',
        { proxy: 'http://p:3128', proxyFromEnv: true, env: { NO_PROXY: '*' } },
        'http://p:3128/',
      ],
      [
        'HTTPS_PROXY for https targets',
        { proxy: null, proxyFromEnv: true, env: { HTTPS_PROXY: 'http://e:8080' } },
        'http://e:8080/',
      ],
      [
        'lower case wins',
        {
          proxy: null,
          proxyFromEnv: true,
          env: { https_proxy: 'http://lo:1', HTTPS_PROXY: 'http://up:2' },
        },
        'http://lo:1/',
      ],
      [
        'HTTP_PROXY is not used for https',
        { proxy: null, proxyFromEnv: true, env: { HTTP_PROXY: 'http://e:8080' } },
        null,
      ],
      [
        'ALL_PROXY as fallback',
        { proxy: null, proxyFromEnv: true, env: { ALL_PROXY: 'http://all:9' } },
        'http://all:9/',
      ],
      [
        'env ignored when proxyFromEnv is off',
        { proxy: null, proxyFromEnv: false, env: { HTTPS_PROXY: 'http://e:8080' } },
        null,
      ],
      [
        'scheme-less env proxy means http',
        { proxy: null, proxyFromEnv: true, env: { HTTPS_PROXY: 'e:8080' } },
        'http://e:8080/',
      ],
      [
        'NO_PROXY domain suffix',
        {
          proxy: null,
          proxyFromEnv: true,
          env: { HTTPS_PROXY: 'http://e:1', NO_PROXY: 'example.com' },
        },
        null,
      ],
      [
        'NO_PROXY leading dot',
        {
          proxy: null,
          proxyFromEnv: true,
          env: { HTTPS_PROXY: 'http://e:1', no_proxy: '.example.com' },
        },
        null,
      ],
      [
        'NO_PROXY other domain',
        {
          proxy: null,
          proxyFromEnv: true,
          env: { HTTPS_PROXY: 'http://e:1', NO_PROXY: 'ample.com,other.org' },
        },
        'http://e:1/',
      ],
      [
        'NO_PROXY *',
        { proxy: null, proxyFromEnv: true, env: { HTTPS_PROXY: 'http://e:1', NO_PROXY: '*' } },
        null,
      ],
      [
        'empty env value is unset',
        { proxy: null, proxyFromEnv: true, env: { HTTPS_PROXY: '  ' } },
        null,
      ],
    ];
    it.each(table)('%s', (_name, settings, expected) => {
      expect(resolveProxy(target, settings)?.href ?? null).toBe(expected);
    });

    it('uses HTTP_PROXY for http targets (OCSP responders)', () => {
      const r = resolveProxy(new URL('http://ocsp.example.com/'), {
        proxy: null,
        proxyFromEnv: true,
        env: { HTTP_PROXY: 'http://e:3' },
      });
      expect(r?.href).toBe('http://e:3/');
    });
  });

  describe('noProxyMatches()', () => {
    it.each([
      ['localhost', 'localhost', 443, true],
      ['127.0.0.1', '127.0.0.1', 443, true],
      ['10.0.0.0/8', '10.1.2.3', 443, true],
      ['10.0.0.0/8', '11.1.2.3', 443, false],
      ['example.com:443', 'a.example.com', 443, true],
      ['example.com:8443', 'a.example.com', 443, false],
      ['*.example.com', 'a.example.com', 443, true],
      ['example.com', 'badexample.com', 443, false],
      ['::1', '[::1]', 443, true],
    ])('%s vs %s:%d is %s', (list, host, port, expected) => {
      expect(noProxyMatches(list, host, port)).toBe(expected);
    });
  });

  describe('parseProxyUrl()', () => {
    it('rejects unsupported schemes without echoing credentials', () => {
      expect(() => parseProxyUrl('socks5://user:hunter2@p:1080')).toThrow(
        /Unsupported proxy scheme/,
      );
      try {
        parseProxyUrl('socks5://user:hunter2@p:1080');
      } catch (err) {
        expect((err as Error).message).not.toContain('hunter2');
        expect((err as { code: string }).code).toBe('ERR_INVALID_ARGUMENT');
      }
    });
  });
});
