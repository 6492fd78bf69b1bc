import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../preload/error-codes';
import { describeError } from './errors';

describe('errors', () => {
  describe('describeError()', () => {
    it('has words and an action for every catalogue code', () => {
      for (const code of Object.keys(ERROR_CODES)) {
        const w = describeError({ code, message: 'm', retryable: false });
        expect(w.title.length).toBeGreaterThan(2);
        expect(w.action.length).toBeGreaterThan(5);
      }
    });
    it('falls back to the internal error words for unknown codes', () => {
      expect(describeError({ code: 'ERR_NOPE', message: 'm', retryable: false }).title).toBe(
        'Internal error',
      );
    });
    it('keeps the first line of a multi-line message and adds the pin facts', () => {
      const w = describeError({
        code: 'ERR_PIN_MISMATCH',
        message: 'Certificate pinning failure for a.test!\n  Peer certificate chain:\n    sha256/x',
        retryable: false,
        details: { expected: ['p'], chain: [{}, {}] },
      });
      expect(w.detail).toBe(
        'Certificate pinning failure for a.test! (none of 1 pinned key(s) matched the 2 presented certificate(s))',
      );
    });
  });
});
