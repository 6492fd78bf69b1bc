import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcspFixtures, type OcspFixtures } from '../test-support/ocsp-fixtures';
import { createTestPki, type CertKey, type TestPki } from '../test-support/pki';
import { CrlStore } from './crl-store';

let pki: TestPki;
let fx: OcspFixtures;
let revokedLeaf: CertKey;
let leaf: X509Certificate;
let revoked: X509Certificate;
let issuer: X509Certificate;

beforeAll(() => {
  pki = createTestPki();
  fx = createOcspFixtures(pki);
  revokedLeaf = pki.issueLeaf('revoked');
  leaf = new X509Certificate(pki.leaf.cert);
  revoked = new X509Certificate(revokedLeaf.cert);
  issuer = new X509Certificate(pki.intermediate.cert);
});
afterAll(() => pki.cleanup());

describe('crl-store', () => {
  describe('CrlStore.check()', () => {
    it('finds a listed serial revoked, in PEM and in DER', () => {
      const { pemFile, derFile } = fx.crl({ revoked: [revokedLeaf] });
      for (const file of [pemFile, derFile]) {
        const store = CrlStore.fromFiles([file]);
        expect(store.check(revoked, issuer)).toMatchObject({
          kind: 'revoked',
          revokedAt: '2024-01-01T00:00:00.000Z',
        });
        expect(store.check(leaf, issuer).kind).toBe('good');
      }
    });

    it('ignores CRLs of other issuers', () => {
      const other = pki.createCa('Elsewhere');
      const { pemFile } = fx.crl({ revoked: [revokedLeaf], signer: other.intermediate });
      expect(CrlStore.fromFiles([pemFile]).check(revoked, issuer).kind).toBe('none');
    });

    it('refuses a CRL with the issuer name but signed by another key', () => {
      // Same subject as the real intermediate, different key: a forged "nothing revoked" CRL.
      // (A second per-run PKI: createCa('Test') would overwrite this PKI's own files.)
      const impostor = createTestPki();
      try {
        const { pemFile } = createOcspFixtures(impostor).crl({ revoked: [] });
        expect(CrlStore.fromFiles([pemFile]).check(revoked, issuer).kind).toBe('invalid');
      } finally {
        impostor.cleanup();
      }
    });

    it('still honours a listed serial in a stale CRL but proves nothing else with it', () => {
      const day = 86_400_000;
      const { pemFile } = fx.crl({
        revoked: [revokedLeaf],
        lastUpdate: new Date(Date.now() - 10 * day),
        nextUpdate: new Date(Date.now() - 3 * day),
      });
      const store = CrlStore.fromFiles([pemFile]);
      expect(store.check(revoked, issuer).kind).toBe('revoked');
      expect(store.check(leaf, issuer).kind).toBe('invalid');
      expect(store.check(leaf, issuer).kind).toBe('invalid');
    });
  });

  describe('CrlStore.fromFiles()', () => {
    it('fails when configured with a missing or unreadable file', () => {
      expect(() => CrlStore.fromFiles([join(pki.dir, 'nope.crl')])).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
      const junk = join(pki.dir, 'junk.crl');
      writeFileSync(junk, 'junk');
      expect(() => CrlStore.fromFiles([junk])).toThrow(/not a readable CRL/);
    });
  });
});
