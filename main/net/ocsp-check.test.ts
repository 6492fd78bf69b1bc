import { X509Certificate } from 'node:crypto';
import { connect, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcspFixtures, type OcspFixtures } from '../test-support/ocsp-fixtures';
import { startStaplingServer, type StaplingServer } from '../test-support/ocsp-server';
import { createTestPki, type CertKey, type TestPki } from '../test-support/pki';
import { RevocationChecker } from './ocsp-check';
import type { RevocationMode } from './types';

let pki: TestPki;
let fx: OcspFixtures;
let revokedLeaf: CertKey;
let server: StaplingServer;

beforeAll(async () => {
  pki = createTestPki();
  fx = createOcspFixtures(pki);
  revokedLeaf = pki.issueLeaf('revoked');
  server = await startStaplingServer({ cert: pki.chainPem, key: pki.leaf.key }, null);
});
afterAll(async () => {
  await server.close();
  pki.cleanup();
});

/** Handshake with requestOCSP against the real server; returns the staple and verified chain. */
function handshake(port: number): Promise<{ staple: Buffer | null; chain: X509Certificate[] }> {
  return new Promise((resolve, reject) => {
    let staple: Buffer | null = null;
    const options: ConnectionOptions & { requestOCSP: boolean } = {
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: pki.root.cert,
      requestOCSP: true,
      minVersion: 'TLSv1.3',
    };
    const socket = connect(options);
    socket.on('OCSPResponse', (r: Buffer) => {
      staple = r;
    });
    socket.on('secureConnect', () => {
      const chain: X509Certificate[] = [];
      let c: PeerCertificate & { issuerCertificate?: PeerCertificate } =
        socket.getPeerCertificate(true);
      while (c && c.raw && !chain.some((x) => x.raw.equals(c.raw))) {
        chain.push(new X509Certificate(c.raw));
        c = c.issuerCertificate as typeof c;
      }
      socket.end();
      resolve({ staple, chain });
    });
    socket.on('error', reject);
  });
}

async function checkWith(
  staple: Buffer | null,
  mode: RevocationMode,
  checker = new RevocationChecker(),
) {
  server.setStaple(staple);
  const { staple: got, chain } = await handshake(server.port);
  return checker.check({ host: 'localhost', mode, staple: got, chain });
}

describe('ocsp-check', () => {
  describe('RevocationChecker.check()', () => {
    it('records a good staple with its times', async () => {
      const info = await checkWith(fx.respond({ cert: pki.leaf, status: 'good' }), 'soft');
      expect(info).toMatchObject({ status: 'good', source: 'staple' });
      expect(info.thisUpdate).toMatch(/^\d{4}-/);
    });

    it('refuses a revoked staple in soft and hard mode', async () => {
      const staple = fx.respond({ cert: pki.leaf, status: 'revoked' });
      await expect(checkWith(staple, 'soft')).rejects.toMatchObject({ code: 'ERR_CERT_REVOKED' });
      await expect(checkWith(staple, 'hard')).rejects.toMatchObject({ code: 'ERR_CERT_REVOKED' });
    });

    it('records but allows an expired or wrong-signer staple in soft mode, refuses it in hard', async () => {
      const expired = await fx.expired(pki.leaf);
      expect(await checkWith(expired, 'soft')).toMatchObject({ status: 'error' });
      await expect(checkWith(expired, 'hard')).rejects.toMatchObject({ code: 'ERR_OCSP_INVALID' });
      const forged = fx.respond({ cert: pki.leaf, status: 'good', signer: fx.otherIntermediate });
      await expect(checkWith(forged, 'hard')).rejects.toMatchObject({ code: 'ERR_OCSP_INVALID' });
    });

    it('allows a missing staple in soft mode and refuses it in hard mode', async () => {
      expect(await checkWith(null, 'soft')).toMatchObject({ status: 'absent' });
      await expect(checkWith(null, 'hard')).rejects.toMatchObject({ code: 'ERR_OCSP_MISSING' });
    });

    it('does not look at the staple when off', async () => {
      const staple = fx.respond({ cert: pki.leaf, status: 'revoked' });
      expect(await checkWith(staple, 'off')).toMatchObject({ status: 'off' });
    });

    it('refuses a certificate listed in a user CRL even with OCSP off', async () => {
      const { pemFile } = fx.crl({ revoked: [pki.leaf] });
      const checker = new RevocationChecker({ crlFiles: [pemFile] });
      await expect(checkWith(null, 'off', checker)).rejects.toMatchObject({
        code: 'ERR_CERT_REVOKED',
      });
    });

    it('accepts a verified CRL as evidence in hard mode when there is no staple', async () => {
      const { pemFile } = fx.crl({ revoked: [revokedLeaf] });
      const checker = new RevocationChecker({ crlFiles: [pemFile] });
      expect(await checkWith(null, 'hard', checker)).toMatchObject({
        status: 'good',
        source: 'crl',
      });
    });
  });
});
