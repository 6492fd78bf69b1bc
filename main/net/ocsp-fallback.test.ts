import { X509Certificate } from 'node:crypto';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcspFixtures, type OcspFixtures } from '../test-support/ocsp-fixtures';
import { startOcspResponder, type OcspResponderServer } from '../test-support/ocsp-server';
import { createTestPki, type CertKey, type TestPki } from '../test-support/pki';
import { OcspFallback } from './ocsp-fallback';
import { ocspGetUrl, ocspResponderUrls } from './ocsp-request';

let pki: TestPki;
let fx: OcspFixtures;
let responder: OcspResponderServer;
let aiaLeaf: CertKey;
let issuer: X509Certificate;

beforeAll(async () => {
  pki = createTestPki();
  fx = createOcspFixtures(pki);
  responder = await startOcspResponder(Buffer.alloc(0));
  aiaLeaf = pki.issueLeaf('aia', {
    extraExtensions: [`authorityInfoAccess = OCSP;URI:${responder.url}`],
  });
  issuer = new X509Certificate(pki.intermediate.cert);
});
afterAll(async () => {
  await responder.close();
  pki.cleanup();
});

describe('ocsp-request', () => {
  describe('ocspResponderUrls()', () => {
    it('reads the OCSP URL from the AIA extension', () => {
      expect(ocspResponderUrls(new X509Certificate(aiaLeaf.cert))).toEqual([responder.url]);
    });
    it('returns nothing for a certificate without AIA', () => {
      expect(ocspResponderUrls(new X509Certificate(pki.leaf.cert))).toEqual([]);
    });
  });
  describe('ocspGetUrl()', () => {
    it('appends the url-encoded base64 request', () => {
      expect(ocspGetUrl('http://r.test/ocsp', Buffer.from([0xfb, 0xff]))).toBe(
        'http://r.test/ocsp/%2B%2F8%3D',
      );
    });
  });
});

describe('ocsp-fallback', () => {
  describe('OcspFallback.query()', () => {
    it('asks the AIA responder with a request for the leaf, verifies and caches the answer', async () => {
      responder.setResponse(fx.respond({ cert: aiaLeaf, status: 'good' }));
      const before = responder.requests.length;
      const fallback = new OcspFallback();
      const leaf = new X509Certificate(aiaLeaf.cert);
      const first = await fallback.query(leaf, issuer);
      expect(first).toMatchObject({
        kind: 'verified',
        info: { status: 'good', source: 'responder' },
      });
      // The GET path carries a real OCSPRequest for this serial.
      const path = responder.requests[before].replace('/ocsp/', '');
      const req = pkijs.OCSPRequest.fromBER(Buffer.from(decodeURIComponent(path), 'base64'));
      const serial = Buffer.from(
        req.tbsRequest.requestList[0].reqCert.serialNumber.valueBlock.valueHexView,
      ).toString('hex');
      expect(serial.toUpperCase()).toBe(leaf.serialNumber.toUpperCase());
      // Second query is served from the cache until nextUpdate.
      await fallback.query(leaf, issuer);
      expect(responder.requests.length).toBe(before + 1);
    });

    it('reports a revoked answer as verified revoked', async () => {
      responder.setResponse(fx.respond({ cert: aiaLeaf, status: 'revoked' }));
      const res = await new OcspFallback().query(new X509Certificate(aiaLeaf.cert), issuer);
      expect(res).toMatchObject({ kind: 'verified', info: { status: 'revoked' } });
    });

    it('reports a forged answer as invalid and does not cache it', async () => {
      responder.setResponse(
        fx.respond({ cert: aiaLeaf, status: 'good', signer: fx.otherIntermediate }),
      );
      const fallback = new OcspFallback();
      const res = await fallback.query(new X509Certificate(aiaLeaf.cert), issuer);
      expect(res.kind).toBe('invalid');
      expect(fallback.cache.size).toBe(0);
    });

    it('reports absent when the responder is unreachable or not named', async () => {
      const dead = pki.issueLeaf('dead-aia', {
        extraExtensions: ['authorityInfoAccess = OCSP;URI:http://127.0.0.1:1/ocsp'],
      });
      const fallback = new OcspFallback({ timeoutMs: 5000 });
      expect((await fallback.query(new X509Certificate(dead.cert), issuer)).kind).toBe('absent');
      expect((await fallback.query(new X509Certificate(pki.leaf.cert), issuer)).kind).toBe(
        'absent',
      );
    });
  });
});
