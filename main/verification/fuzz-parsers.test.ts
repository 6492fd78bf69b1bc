/**
 * Parser fuzzing (issue 10): pin strings, hash strings, URLs, Content-Range and Retry-After.
 * Each input must either parse to something valid or fail with a coded AppError (or the
 * parser's documented null) — never a TypeError, a RangeError or a silently bad value.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { checkContentRange, parseContentRange } from '../download/http-validators';
import { parseExpectedDigest } from '../download/integrity';
import { isValidPin, normalizePin } from '../net/pins';
import { computeRetryDelay, parseRetryAfter } from '../net/retry-delay';
import { parseHttpsUrl } from '../net/secure-client';
import { bytes, fuzzIterations, int, mutateString, pick, suiteRng } from './fuzz-config';

const TOKENS = [
  '',
  '/',
  '//',
  '=',
  '==',
  '-',
  ':',
  ' ',
  '\t',
  '\n',
  '\0',
  '%00',
  '%2e%2e',
  '..',
  '@',
  '#',
  '?',
  '*',
  'sha256',
  'sha512',
  'sha1/',
  'bytes ',
  'https://',
  'http://',
  'file://',
  '[::1]',
  '\u202e',
  '\ud800',
  '9'.repeat(20),
  '-1',
  'NaN',
  'Infinity',
  'A'.repeat(300),
];

/** Run `fn` on `input`; return the value, or the coded error; fail on anything else. */
function outcome<T>(
  name: string,
  input: unknown,
  fn: () => T,
  codes: string[],
): { ok: true; value: T } | { ok: false; code: string } {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (!(err instanceof AppError)) {
      throw new Error(`${name}(${JSON.stringify(input)}) threw a non-AppError: ${String(err)}`, {
        cause: err,
      });
    }
    expect(codes, `${name}(${JSON.stringify(input)})`).toContain(err.code);
    return { ok: false, code: err.code };
  }
}

/** Inputs for one parser: seeds, their mutations, and raw random strings. */
function* inputs(name: string, seeds: string[], n: number): Generator<string> {
  const { rng } = suiteRng(name);
  for (const s of seeds) yield s;
  for (let i = 0; i < n; i++) {
    const r = rng();
    if (r < 0.7) yield mutateString(rng, pick(rng, seeds), TOKENS);
    else if (r < 0.85) yield bytes(rng, int(rng, 0, 80)).toString('latin1');
    else yield bytes(rng, int(rng, 0, 60)).toString('base64');
  }
}

const N = fuzzIterations(1500);
const GOOD_B64 = Buffer.alloc(32, 7).toString('base64');
const SLASH_B64 = '/' + Buffer.alloc(32, 0xff).toString('base64').slice(1);

describe('fuzz: parsers', () => {
  describe('normalizePin()', () => {
    it('returns a canonical sha256/ pin or throws ERR_INVALID_PIN', () => {
      const seeds = [
        `sha256/${GOOD_B64}`,
        `sha256//${GOOD_B64}`,
        GOOD_B64,
        `sha256/${SLASH_B64}`,
        `sha1/${GOOD_B64}`,
      ];
      let valid = 0;
      for (const input of inputs('pins', seeds, N)) {
        const r = outcome('normalizePin', input, () => normalizePin(input), ['ERR_INVALID_PIN']);
        if (!r.ok) continue;
        valid++;
        expect(r.value).toMatch(/^sha256\/[A-Za-z0-9+/]{43}=$/);
        expect(Buffer.from(r.value.slice(7), 'base64')).toHaveLength(32);
        // Canonical: normalising again is the identity.
        expect(normalizePin(r.value)).toBe(r.value);
        expect(isValidPin(input)).toBe(true);
      }
      expect(valid).toBeGreaterThan(3);
    });
  });

  describe('parseExpectedDigest()', () => {
    it('returns a digest of the right length for its algorithm or throws ERR_INVALID_HASH', () => {
      const hex256 = 'ab'.repeat(32);
      const seeds = [
        hex256,
        'cd'.repeat(64),
        `sha256-${Buffer.alloc(32, 1).toString('base64')}`,
        `sha512-${Buffer.alloc(64, 2).toString('base64')}`,
        `sha256:${hex256}`,
        `sha512:${hex256}`,
      ];
      const { rng } = suiteRng('hash-algorithm');
      let valid = 0;
      for (const input of inputs('hashes', seeds, N)) {
        const algo = pick(rng, [undefined, 'sha256', 'sha512'] as const);
        const r = outcome('parseExpectedDigest', input, () => parseExpectedDigest(input, algo), [
          'ERR_INVALID_HASH',
        ]);
        if (!r.ok) continue;
        valid++;
        expect(['sha256', 'sha512']).toContain(r.value.algorithm);
        if (algo) expect(r.value.algorithm).toBe(algo);
        expect(r.value.digest).toHaveLength(r.value.algorithm === 'sha256' ? 32 : 64);
      }
      expect(valid).toBeGreaterThan(3);
    });
  });

  describe('parseHttpsUrl()', () => {
    it('returns an https: URL or throws ERR_INVALID_URL / ERR_INSECURE_URL', () => {
      const seeds = [
        'https://updates.example.com/llmrecon/1.0.0.tar.gz',
        'https://127.0.0.1:8443/x?y=1#z',
        'https://user:pw@[::1]:443/a/../b',
        'http://example.com/',
        'HTTPS://EXAMPLE.COM',
        'https://xn--bcher-kva.example/',
        'javascript:alert(1)',
        'file:///etc/passwd',
      ];
      let valid = 0;
      for (const input of inputs('urls', seeds, N)) {
        const r = outcome('parseHttpsUrl', input, () => parseHttpsUrl(input), [
          'ERR_INVALID_URL',
          'ERR_INSECURE_URL',
        ]);
        if (!r.ok) continue;
        valid++;
        expect(r.value.protocol).toBe('https:');
        expect(r.value.hostname.length).toBeGreaterThan(0);
      }
      expect(valid).toBeGreaterThan(3);
    });
  });

  describe('parseContentRange() and checkContentRange()', () => {
    it('parses to a consistent range or null, and checks to exactly the asked range or ERR_RANGE_INVALID', () => {
      const seeds = [
        'bytes 0-99/100',
        'bytes 10-19/100',
        'bytes 0-0/*',
        'bytes */100',
        'bytes 99-0/100',
        'bytes 0-9007199254740993/9007199254740994',
        'items 0-1/2',
      ];
      const { rng } = suiteRng('content-range-asked');
      for (const input of inputs('content-range', seeds, N)) {
        const parsed = outcome('parseContentRange', input, () => parseContentRange(input), []);
        if (parsed.ok && parsed.value) {
          const { start, end, total } = parsed.value;
          expect(Number.isSafeInteger(start) && Number.isSafeInteger(end)).toBe(true);
          expect(start).toBeLessThanOrEqual(end);
          if (total !== null) expect(end).toBeLessThan(total);
        }
        const asked = { start: int(rng, 0, 20), end: pick(rng, [null, int(rng, 0, 120)]) };
        const known = pick(rng, [null, 100]);
        const length = pick(rng, [undefined, String(int(rng, 0, 120)), 'x']);
        const headers = { 'content-range': input, 'content-length': length };
        const checked = outcome(
          'checkContentRange',
          input,
          () => checkContentRange(headers, asked, known),
          ['ERR_RANGE_INVALID'],
        );
        if (!checked.ok) continue;
        expect(checked.value.start).toBe(asked.start);
        if (known !== null) expect(checked.value.total).toBe(known);
        expect(checked.value.end).toBe(
          Math.min(asked.end ?? checked.value.total - 1, checked.value.total - 1),
        );
      }
    });
  });

  describe('parseRetryAfter() and computeRetryDelay()', () => {
    it('gives null or a finite non-negative wait, and a delay within its caps', () => {
      const now = Date.parse('2026-01-01T00:00:00Z');
      const seeds = [
        '0',
        '1',
        '120',
        '99999999999999999999',
        'Thu, 01 Jan 2026 00:00:10 GMT',
        'Thursday, 01-Jan-26 00:00:10 GMT',
        'Thu Jan  1 00:00:10 2026',
        'Wed, 31 Dec 2025 23:59:59 GMT',
        '-5',
        '1.5',
      ];
      const { rng } = suiteRng('retry-delay');
      for (const input of inputs('retry-after', seeds, N)) {
        const wait = outcome('parseRetryAfter', input, () => parseRetryAfter(input, now), []);
        if (wait.ok && wait.value !== null) {
          expect(Number.isNaN(wait.value)).toBe(false);
          expect(wait.value).toBeGreaterThanOrEqual(0);
        }
        const maxDelayMs = int(rng, 0, 60_000);
        const maxRetryAfterMs = int(rng, 0, 120_000);
        const delay = computeRetryDelay({
          retry: int(rng, 1, 40),
          initialDelayMs: int(rng, 0, 5000),
          maxDelayMs,
          retryAfter: input,
          maxRetryAfterMs,
          now,
          random: rng,
        });
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.max(maxDelayMs, maxRetryAfterMs));
      }
    });
  });
});
