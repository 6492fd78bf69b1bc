import { describe, expect, it } from 'vitest';
import { PIN_A, PIN_B } from '../test-fixtures';
import {
  EMPTY_ADD_JOB_FORM,
  checksumProblem,
  normalizePinText,
  suggestFileName,
  urlProblem,
  validateAddJob,
} from './add-job-form';

const form = (o: Partial<typeof EMPTY_ADD_JOB_FORM>) => ({ ...EMPTY_ADD_JOB_FORM, ...o });

describe('add-job-form', () => {
  describe('urlProblem()', () => {
    it('refuses http, credentials and junk', () => {
      expect(urlProblem('http://a.test/x')).toMatch(/https/);
      expect(urlProblem('https://u:p@a.test/x')).toMatch(/credentials/);
      expect(urlProblem('not a url')).toMatch(/full address/);
      expect(urlProblem('https://a.test/x')).toBeNull();
    });
  });
  describe('checksumProblem()', () => {
    it('accepts sha256/sha512 hex, prefixed hex and SRI', () => {
      expect(checksumProblem('a'.repeat(64))).toBeNull();
      expect(checksumProblem('b'.repeat(128))).toBeNull();
      expect(checksumProblem('sha256:' + 'c'.repeat(64))).toBeNull();
      expect(checksumProblem('sha256-' + 'A'.repeat(43) + '=')).toBeNull();
      expect(checksumProblem('')).toBeNull();
    });
    it('rejects wrong lengths and non-hex', () => {
      expect(checksumProblem('a'.repeat(63))).toMatch(/neither/);
      expect(checksumProblem('sha256:' + 'c'.repeat(128))).toMatch(/64 hex/);
      expect(checksumProblem('zz')).toMatch(/hex/);
      expect(checksumProblem('sha512-' + 'A'.repeat(43) + '=')).toMatch(/64 bytes/);
    });
  });
  describe('normalizePinText()', () => {
    it('accepts the OkHttp, curl and bare spellings', () => {
      const b64 = PIN_A.slice(7);
      expect(normalizePinText(PIN_A)).toBe(PIN_A);
      expect(normalizePinText('sha256//' + b64)).toBe(PIN_A);
      expect(normalizePinText(b64)).toBe(PIN_A);
    });
    it('rejects other algorithms and short values', () => {
      expect(normalizePinText('sha1/' + PIN_A.slice(7))).toBeNull();
      expect(normalizePinText('sha256/abc=')).toBeNull();
    });
  });
  describe('validateAddJob()', () => {
    it('builds the jobs:add input from a valid form', () => {
      const r = validateAddJob(
        form({
          url: ' https://a.test/f.bin ',
          dest: 'f.bin',
          expectedHash: 'a'.repeat(64),
          pins: `${PIN_A}\n${PIN_B}, ${PIN_A}`,
          connections: '4',
        }),
      );
      expect(r.errors).toEqual({});
      expect(r.input).toEqual({
        url: 'https://a.test/f.bin',
        dest: 'f.bin',
        expectedHash: 'a'.repeat(64),
        pins: [PIN_A, PIN_B],
        connections: 4,
      });
    });
    it('reports every bad field at once and gives no input', () => {
      const r = validateAddJob(
        form({
          url: 'http://a.test/',
          dest: '',
          expectedHash: 'xyz',
          pins: 'nope',
          connections: '0',
        }),
      );
      expect(r.input).toBeNull();
      expect(Object.keys(r.errors).sort()).toEqual([
        'connections',
        'dest',
        'expectedHash',
        'pins',
        'url',
      ]);
    });
  });
  describe('validateAddJob() destination', () => {
    it("uses the URL's file name when the destination is left empty", () => {
      expect(validateAddJob(form({ url: 'https://a.test/d/x.tar.gz' })).input?.dest).toBe(
        'x.tar.gz',
      );
      expect(validateAddJob(form({ url: 'https://a.test/' })).errors.dest).toMatch(/file name/);
    });
  });
  describe('suggestFileName()', () => {
    it('takes the last path segment', () => {
      expect(suggestFileName('https://a.test/dir/llmrecon-1.2.tar.gz?x=1')).toBe(
        'llmrecon-1.2.tar.gz',
      );
      expect(suggestFileName('https://a.test/')).toBe('');
    });
  });
});
