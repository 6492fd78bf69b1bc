import { describe, expect, it } from 'vitest';
import { netFlagsHelp, parseDuration, parseNetFlags, registerNetFlag } from './net-flags';

const PIN = Buffer.alloc(32, 1).toString('base64');

describe('net-flags', () => {
  describe('parseNetFlags()', () => {
    it('parses pins, CA files, TLS minimum, timeouts and retries, leaving other arguments', () => {
      const r = parseNetFlags([
        'https://x.example/',
        '--pin',
        `sha256//${PIN}`,
        `--pin=${PIN}`,
        '--ca',
        'a.pem',
        '--ca=b.pem',
        '--min-tls',
        '1.2',
        '--timeout-connect',
        '5s',
        '--timeout-idle=90000',
        '--timeout-total',
        '0',
        '--retries',
        '2',
        '--json',
      ]);
      expect(r.rest).toEqual(['https://x.example/', '--json']);
      expect(r.pins).toEqual([`sha256/${PIN}`, `sha256/${PIN}`]);
      expect(r.options).toEqual({
        caFiles: ['a.pem', 'b.pem'],
        minTlsVersion: 'TLSv1.2',
        timeouts: { connect: 5000, idle: 90_000, total: 0 },
        retry: { maxAttempts: 3 },
      });
    });

    it.each([
      [['--pin', 'nope'], 'ERR_INVALID_PIN'],
      [['--min-tls', '1.1'], 'ERR_INVALID_ARGUMENT'],
      [['--retries', '-1'], 'ERR_INVALID_ARGUMENT'],
      [['--timeout-idle', 'soon'], 'ERR_INVALID_ARGUMENT'],
      [['--ca'], 'ERR_INVALID_ARGUMENT'],
    ])('rejects %j with %s', (argv, code) => {
      expect(() => parseNetFlags(argv)).toThrow(expect.objectContaining({ code }));
    });

    it('accepts flags registered by other modules', () => {
      registerNetFlag({
        name: '--limit-rate-test',
        value: 'BYTES',
        help: 'test flag',
        apply: (r, v) => {
          r.options.bandwidthLimit = Number(v);
        },
      });
      expect(parseNetFlags(['--limit-rate-test', '1024']).options.bandwidthLimit).toBe(1024);
      expect(netFlagsHelp()).toContain('--limit-rate-test BYTES');
    });
  });

  describe('parseDuration()', () => {
    it.each([
      ['1500', 1500],
      ['1500ms', 1500],
      ['30s', 30_000],
      ['5m', 300_000],
    ])('%s → %i ms', (v, ms) => {
      expect(parseDuration('--x', v)).toBe(ms);
    });
  });
});

describe('net-flags (transport extras)', () => {
  describe('parseNetFlags()', () => {
    it('parses --ocsp, --crl, --cert/--key/--pass, --proxy and --limit-rate', () => {
      const r = parseNetFlags([
        'https://h/x',
        '--ocsp',
        'hard',
        '--crl',
        'a.crl',
        '--crl=b.crl',
        '--cert',
        'c.pem',
        '--key',
        'k.pem',
        '--pass',
        'pw',
        '--proxy',
        'http://u:p@proxy:3128',
        '--limit-rate',
        '10M',
      ]);
      expect(r.rest).toEqual(['https://h/x']);
      expect(r.options).toMatchObject({
        revocation: 'hard',
        crlFiles: ['a.crl', 'b.crl'],
        clientCertificates: [{ host: '*', certFile: 'c.pem', keyFile: 'k.pem', passphrase: 'pw' }],
        proxy: 'http://u:p@proxy:3128',
        bandwidthLimit: 10 * 1024 * 1024,
      });
    });

    it('takes a PKCS#12 file with --pfx', () => {
      expect(parseNetFlags(['--pass', 'pw', '--pfx', 'c.p12']).options.clientCertificates).toEqual([
        { host: '*', pfxFile: 'c.p12', passphrase: 'pw' },
      ]);
    });

    it.each([
      [['--ocsp', 'maybe'], /--ocsp/],
      [['--limit-rate', 'fast'], /--limit-rate/],
      [['--proxy', 'socks5://p:1080'], /proxy scheme/],
    ])('rejects %j', (argv, message) => {
      expect(() => parseNetFlags(argv)).toThrow(message);
    });
  });
});
