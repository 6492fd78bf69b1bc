import { describe, expect, it } from 'vitest';
import type { PinnedHost } from '../../../preload/contract';
import { PIN_A, PIN_B, PIN_C, facts } from '../test-fixtures';
import {
  backupPinWarning,
  hostPatternMatches,
  matchedPinIndex,
  pinMismatchFacts,
  pinnedEntryFor,
} from './pin-advice';

const host = (h: string, pins: string[]): PinnedHost => ({
  host: h,
  pins: pins.map((pin) => ({ pin, label: null })),
  expires: null,
  reportOnly: false,
  subjectName: null,
  issuer: null,
  lastCheck: null,
});

describe('pin-advice', () => {
  describe('pinMismatchFacts()', () => {
    it('reads host, expected pins and the presented chain from error details', () => {
      const f = pinMismatchFacts({
        code: 'ERR_PIN_MISMATCH',
        message: 'm',
        retryable: false,
        details: {
          host: 'a.test',
          expected: [PIN_C],
          chain: [
            { index: 0, subject: 'CN=a.test', issuer: 'CN=Int', pin: PIN_A },
            { index: 1, subject: 'CN=Int', issuer: 'CN=Root', pin: PIN_B },
          ],
        },
      });
      expect(f).toEqual({
        host: 'a.test',
        expected: [PIN_C],
        chain: [
          { index: 0, subject: 'CN=a.test', issuer: 'CN=Int', pin: PIN_A },
          { index: 1, subject: 'CN=Int', issuer: 'CN=Root', pin: PIN_B },
        ],
      });
    });
    it('ignores other codes and malformed details', () => {
      expect(pinMismatchFacts({ code: 'ERR_TLS', message: '', retryable: false })).toBeNull();
      expect(
        pinMismatchFacts({
          code: 'ERR_PIN_MISMATCH',
          message: '',
          retryable: false,
          details: { chain: [7, { pin: 1 }] },
        }),
      ).toEqual({ host: '', expected: [], chain: [] });
    });
  });
  describe('hostPatternMatches()', () => {
    it('matches exact, one-label and any-depth wildcards', () => {
      expect(hostPatternMatches('a.test', 'A.test')).toBe(true);
      expect(hostPatternMatches('*.a.test', 'x.a.test')).toBe(true);
      expect(hostPatternMatches('*.a.test', 'y.x.a.test')).toBe(false);
      expect(hostPatternMatches('*.a.test', 'a.test')).toBe(false);
      expect(hostPatternMatches('**.a.test', 'y.x.a.test')).toBe(true);
    });
  });
  describe('backupPinWarning()', () => {
    it('warns when a host would have a single pin', () => {
      expect(backupPinWarning([], 'a.test', { add: PIN_A }).warning).toMatch(/no backup pin/);
      expect(
        backupPinWarning([host('a.test', [PIN_A, PIN_B])], 'a.test', { remove: PIN_B }).warning,
      ).toMatch(/only 1 pin/);
    });
    it('is quiet with two or more pins, or none at all', () => {
      expect(
        backupPinWarning([host('a.test', [PIN_A])], 'a.test', { add: PIN_B }).warning,
      ).toBeNull();
      expect(
        backupPinWarning([host('a.test', [PIN_A])], 'a.test', { remove: PIN_A }).warning,
      ).toBeNull();
    });
    it('does not count a pin that is already there twice', () => {
      expect(backupPinWarning([host('a.test', [PIN_A])], 'a.test', { add: PIN_A }).count).toBe(1);
    });
  });
  describe('matchedPinIndex() and pinnedEntryFor()', () => {
    it('prefers what main reported, else finds the pinned key in the chain', () => {
      expect(matchedPinIndex(facts({ matchedPin: { pin: PIN_A, certIndex: 0 } }), null)).toBe(0);
      const entry = pinnedEntryFor(
        [host('*.test', [PIN_C]), host('localhost', [PIN_B])],
        'localhost',
      );
      expect(entry?.host).toBe('localhost');
      expect(matchedPinIndex(facts(), entry)).toBe(1);
      expect(matchedPinIndex(facts(), host('localhost', [PIN_C]))).toBeNull();
    });
  });
});
