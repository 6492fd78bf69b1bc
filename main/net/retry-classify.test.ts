import { describe, expect, it } from 'vitest';
import { classifyRetryable } from './retry-classify';
import { NetworkError, PinMismatchError, SecureConnectionError, TimeoutError } from './errors';

const sys = (code: string): Error => Object.assign(new Error(code), { code });

describe('retry-classify', () => {
  describe('classifyRetryable()', () => {
    it.each([
      [408, true],
      [425, true],
      [429, true],
      [500, true],
      [502, true],
      [503, true],
      [504, true],
      [200, false],
      [301, false],
      [400, false],
      [401, false],
      [403, false],
      [404, false],
      [501, false],
    ])('status %i on GET → retryable %s', (status, retryable) => {
      expect(classifyRetryable({ method: 'GET', status }).retryable).toBe(retryable);
    });

    it.each([
      'ECONNRESET',
      'ECONNREFUSED',
      'ETIMEDOUT',
      'EPIPE',
      'EAI_AGAIN',
      'ENETUNREACH',
      'EHOSTUNREACH',
    ])('retries the network error %s on GET', (code) => {
      expect(classifyRetryable({ method: 'GET', error: sys(code) })).toMatchObject({
        retryable: true,
        reason: code,
      });
    });

    it('retries a socket hang-up and a coded NetworkError', () => {
      expect(
        classifyRetryable({ method: 'GET', error: new Error('socket hang up') }).retryable,
      ).toBe(true);
      expect(
        classifyRetryable({ method: 'HEAD', error: new NetworkError('x', 'EPIPE') }),
      ).toMatchObject({
        retryable: true,
        reason: 'EPIPE',
      });
    });

    it('never retries on non-idempotent methods', () => {
      expect(classifyRetryable({ method: 'POST', status: 503 }).retryable).toBe(false);
      expect(classifyRetryable({ method: 'POST', error: sys('ECONNRESET') }).retryable).toBe(false);
    });

    it.each([
      'ERR_TLS_VERSION',
      'ERR_CERT_UNTRUSTED',
      'ERR_CERT_EXPIRED',
      'ERR_CERT_NOT_YET_VALID',
      'ERR_CERT_HOSTNAME',
      'ERR_CERT_REVOKED',
      'ERR_PIN_SET_EXPIRED',
      'ERR_ABORTED',
    ] as const)('never retries trust or cancel failure %s', (code) => {
      expect(
        classifyRetryable({
          method: 'GET',
          error: new SecureConnectionError(code, 'x', { retryable: true }),
        }).retryable,
      ).toBe(false);
    });

    it('never retries a pin mismatch', () => {
      expect(
        classifyRetryable({ method: 'GET', error: new PinMismatchError('h', [], []) }).retryable,
      ).toBe(false);
    });

    it('retries phase timeouts but not the total timeout', () => {
      expect(
        classifyRetryable({ method: 'GET', error: new TimeoutError('responseHeaders', 5) }),
      ).toMatchObject({
        retryable: true,
        reason: 'timeout (responseHeaders)',
      });
      expect(
        classifyRetryable({ method: 'GET', error: new TimeoutError('total', 5) }).retryable,
      ).toBe(false);
    });
  });
});
