import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type CertKey, type TestPki } from '../test-support/pki';
import { createOcspFixtures, type OcspFixtures } from '../test-support/ocsp-fixtures';
import { startStaplingServer } from '../test-support/ocsp-server';
import { verifyOcspResponse } from './ocsp-verify';

let pki: TestPki;
let fx: OcspFixtures;
let leaf: X509Certificate;
let issuer: X509Certificate;
let otherLeaf: CertKey;

beforeAll(() => {
  pki = createTestPki();
  fx = createOcspFixtures(pki);
  leaf = new X509Certificate(pki.leaf.cert);
  issuer = new X509Certificate(pki.intermediate.cert);
  otherLeaf = pki.issueLeaf('other');
});
afterAll(() => pki.cleanup());

const verify = (response: Buffer, now?: number) =>
  verifyOcspResponse({ response, leaf, issuer, source: 'staple', now });

/** Connect with requestOCSP over real TLS and return the staple the server sent. */
function fetchStaple(url: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    let staple: Buffer | null = null;
    const req = request(
      url,
      { ca: pki.root.cert, requestOCSP: true, agent: false } as object,
      (res) => {
        res.resume();
        res.on('end', () => resolve(staple));
      },
    );
    req.on('socket', (socket) => {
      socket.on('OCSPResponse', (r: Buffer) => {
        staple = r && r.length ? r : null;
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ocsp-verify', () => {
  describe('verifyOcspResponse()', () => {
    it('returns good for a stapled good response received over real TLS', async () => {
      const server = await startStaplingServer(
        { cert: pki.chainPem, key: pki.leaf.key },
        fx.respond({ cert: pki.leaf, status: 'good' }),
      );
      try {
        const staple = await fetchStaple(server.url);
        expect(staple).not.toBeNull();
        const info = await verify(staple!);
        expect(info.status).toBe('good');
        expect(info.source).toBe('staple');
        expect(Date.parse(info.nextUpdate!)).toBeGreaterThan(Date.now());
        expect(server.staplesRequested()).toBe(1);
      } finally {
        await server.close();
      }
    });

    it('returns revoked with the revocation time for a revoked response', async () => {
      const info = await verify(fx.respond({ cert: pki.leaf, status: 'revoked' }));
      expect(info.status).toBe('revoked');
      expect(info.revokedAt).toBe('2024-01-01T00:00:00.000Z');
    });

    it('returns unknown when the responder does not know the serial', async () => {
      const info = await verify(fx.respond({ cert: pki.leaf, status: 'unknown' }));
      expect(info.status).toBe('unknown');
    });

    it('accepts a responder identified by key hash', async () => {
      const info = await verify(fx.respond({ cert: pki.leaf, status: 'good', byKey: true }));
      expect(info.status).toBe('good');
    });

    it('accepts a delegated responder the issuer certified for OCSP signing', async () => {
      const info = await verify(
        fx.respond({ cert: pki.leaf, status: 'revoked', signer: fx.responder }),
      );
      expect(info.status).toBe('revoked');
    });

    it('rejects a response signed by an unrelated CA', async () => {
      const r = fx.respond({ cert: pki.leaf, status: 'good', signer: fx.otherIntermediate });
      await expect(verify(r)).rejects.toMatchObject({ code: 'ERR_OCSP_INVALID' });
    });

    it('rejects a response signed by the root instead of the issuer', async () => {
      const r = fx.respond({ cert: pki.leaf, status: 'good', signer: pki.root });
      await expect(verify(r)).rejects.toMatchObject({ code: 'ERR_OCSP_INVALID' });
    });

    it('rejects a delegated responder without id-kp-OCSPSigning', async () => {
      const r = fx.respond({ cert: pki.leaf, status: 'good', signer: fx.responderNoEku });
      await expect(verify(r)).rejects.toThrow(/OCSPSigning/);
    });

    it('rejects a delegated responder certified by another CA', async () => {
      const r = fx.respond({ cert: pki.leaf, status: 'good', signer: fx.responderOtherCa });
      await expect(verify(r)).rejects.toMatchObject({ code: 'ERR_OCSP_INVALID' });
    });

    it('rejects a response about another certificate (CertID mismatch)', async () => {
      const r = fx.respond({ cert: otherLeaf, status: 'good' });
      await expect(verify(r)).rejects.toThrow(/CertID/);
    });

    it('rejects an expired response', async () => {
      const r = await fx.expired(pki.leaf);
      await expect(verify(r)).rejects.toThrow(/expired/);
    });

    it('rejects a fresh response when the clock is past nextUpdate plus skew', async () => {
      const r = fx.respond({ cert: pki.leaf, status: 'good', days: 1 });
      await expect(verify(r, Date.now() + 2 * 86_400_000)).rejects.toThrow(/expired/);
      await expect(verify(r, Date.now() - 86_400_000)).rejects.toThrow(/future/);
    });

    it('rejects a response whose signed data was altered', async () => {
      const r = Buffer.from(fx.respond({ cert: pki.leaf, status: 'good' }));
      // Flip one bit in the serial number of the CertID (inside the signed data).
      const serial = Buffer.from(leaf.serialNumber, 'hex');
      const at = r.indexOf(serial);
      expect(at).toBeGreaterThan(0);
      r[at + serial.length - 1] ^= 0x01;
      await expect(verify(r)).rejects.toMatchObject({ code: 'ERR_OCSP_INVALID' });
    });

    it('rejects garbage and unsuccessful responder statuses', async () => {
      await expect(verify(Buffer.from('not der'))).rejects.toThrow(/malformed/);
      const tryLater = new pkijs.OCSPResponse({
        responseStatus: new asn1js.Enumerated({ value: 3 }),
      });
      await expect(verify(Buffer.from(tryLater.toSchema().toBER(false)))).rejects.toThrow(
        /tryLater/,
      );
    });
  });
});
