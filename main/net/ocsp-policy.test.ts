import { describe, expect, it } from 'vitest';
import { OcspInvalidError } from './ocsp-errors';
import { applyRevocationPolicy, type RevocationEvidence } from './ocsp-policy';
import type { RevocationMode } from './types';

const verified = (status: 'good' | 'revoked' | 'unknown'): RevocationEvidence => ({
  kind: 'verified',
  info: {
    status,
    source: 'staple',
    thisUpdate: '2025-01-01T00:00:00.000Z',
    nextUpdate: '2025-01-02T00:00:00.000Z',
    revokedAt: status === 'revoked' ? '2024-06-01T00:00:00.000Z' : null,
    detail: null,
  },
});
const absent: RevocationEvidence = { kind: 'absent' };
const invalid: RevocationEvidence = {
  kind: 'invalid',
  error: new OcspInvalidError('signature does not verify'),
  source: 'staple',
};

const table: [RevocationMode, string, RevocationEvidence, string][] = [
  ['off', 'revoked', verified('revoked'), 'off'],
  ['off', 'absent', absent, 'off'],
  ['soft', 'good', verified('good'), 'good'],
  ['soft', 'revoked', verified('revoked'), 'ERR_CERT_REVOKED'],
  ['soft', 'unknown', verified('unknown'), 'unknown'],
  ['soft', 'absent', absent, 'absent'],
  ['soft', 'invalid', invalid, 'error'],
  ['hard', 'good', verified('good'), 'good'],
  ['hard', 'revoked', verified('revoked'), 'ERR_CERT_REVOKED'],
  ['hard', 'unknown', verified('unknown'), 'ERR_OCSP_INVALID'],
  ['hard', 'absent', absent, 'ERR_OCSP_MISSING'],
  ['hard', 'invalid', invalid, 'ERR_OCSP_INVALID'],
];

describe('ocsp-policy', () => {
  describe('applyRevocationPolicy()', () => {
    it.each(table)('in %s mode with a %s answer gives %s', (mode, _name, evidence, expected) => {
      if (expected.startsWith('ERR_')) {
        expect(() => applyRevocationPolicy(mode, 'example.test', evidence)).toThrow(
          expect.objectContaining({ code: expected, retryable: false }),
        );
      } else {
        expect(applyRevocationPolicy(mode, 'example.test', evidence).status).toBe(expected);
      }
    });

    it('names the host and the revocation time when refusing a revoked certificate', () => {
      expect(() => applyRevocationPolicy('soft', 'example.test', verified('revoked'))).toThrow(
        /example\.test.*2024-06-01/,
      );
    });

    it('records the reason when soft mode lets an invalid staple through', () => {
      const info = applyRevocationPolicy('soft', 'example.test', invalid);
      expect(info).toMatchObject({
        status: 'error',
        source: 'staple',
        detail: 'signature does not verify',
      });
    });
  });
});
