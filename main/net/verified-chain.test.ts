import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../test-support/pki';
import { startTlsServer, type TlsTestServer } from '../test-support/tls-server';
import { describeCertificate, spkiPin } from './cert-info';
import { buildTrustStore } from './trust-store';
import { verifiedChainOf, verifyChainLinks } from './verified-chain';

let pki: TestPki;
let server: TlsTestServer;
beforeAll(async () => {
  pki = createTestPki();
  server = await startTlsServer({ cert: pki.chainPem, key: pki.leaf.key });
});
afterAll(async () => {
  await server.close();
  pki.cleanup();
});

function connect(session?: Buffer): Promise<{ socket: tls.TLSSocket; session: Promise<Buffer> }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port: server.port,
      ca: [pki.root.cert],
      session,
    });
    const sess = new Promise<Buffer>((r) => socket.once('session', r));
    socket.once('secureConnect', () => resolve({ socket, session: sess }));
    socket.once('error', reject);
  });
}

describe('verified-chain', () => {
  const trust = () => buildTrustStore({ caFiles: [], ca: [pki.root.cert], useSystemRoots: false });

  describe('verifiedChainOf()', () => {
    it('returns leaf, intermediate and the trust anchor', async () => {
      const { socket } = await connect();
      const chain = verifiedChainOf('127.0.0.1', socket, trust());
      socket.destroy();
      expect(chain.map(spkiPin)).toEqual([pki.leaf.pin, pki.intermediate.pin, pki.root.pin]);
    });

    it('fails closed on a resumed session, which carries no peer chain', async () => {
      const first = await connect();
      first.socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      first.socket.resume();
      const session = await first.session;
      first.socket.destroy();
      const { socket } = await connect(session);
      expect(socket.isSessionReused()).toBe(true);
      expect(() => verifiedChainOf('127.0.0.1', socket, trust())).toThrow(
        expect.objectContaining({ code: 'ERR_TLS' }),
      );
      socket.destroy();
    });
  });

  describe('verifyChainLinks()', () => {
    it('refuses a chain whose links are not signed by the next certificate', () => {
      const other = pki.createCa('Forged');
      const chain = [pki.leaf.cert, other.intermediate.cert, pki.root.cert].map(
        (p) => new X509Certificate(p),
      );
      expect(() => verifyChainLinks('h', chain, trust())).toThrow(
        expect.objectContaining({ code: 'ERR_CERT_UNTRUSTED' }),
      );
    });

    it('refuses a chain that does not reach a trust anchor', () => {
      const chain = [pki.leaf.cert, pki.intermediate.cert].map((p) => new X509Certificate(p));
      const noRoot = buildTrustStore({
        caFiles: [],
        ca: [pki.createCa('Unrelated').root.cert],
        useSystemRoots: false,
      });
      expect(() => verifyChainLinks('h', chain, noRoot)).toThrow(
        expect.objectContaining({ code: 'ERR_CERT_UNTRUSTED' }),
      );
    });
  });
});

describe('cert-info', () => {
  describe('spkiPin()', () => {
    it('equals the pin computed by the openssl CLI', () => {
      const pub = execFileSync('openssl', ['x509', '-in', pki.leaf.certFile, '-pubkey', '-noout']);
      const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: pub });
      const b64 = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString(
        'base64',
      );
      expect(spkiPin(new X509Certificate(pki.leaf.cert))).toBe(`sha256/${b64}`);
    });
  });

  describe('describeCertificate()', () => {
    it('describes subject, SANs, key, validity and CA flag', () => {
      const rsa = pki.issueLeaf('rsa', { keyType: 'rsa', hosts: ['rsa.example', '10.0.0.1'] });
      const info = describeCertificate(new X509Certificate(rsa.cert));
      expect(info).toMatchObject({
        subject: 'CN=rsa.example, O=LLMrecon Test',
        issuer: 'CN=Test Intermediate CA, O=LLMrecon Test',
        keyType: 'RSA',
        keySize: 2048,
        isCA: false,
        spkiPin: rsa.pin,
      });
      expect(info.sans).toEqual(['DNS:rsa.example', 'IP Address:10.0.0.1']);
      expect(info.daysLeft).toBeGreaterThanOrEqual(27);
      expect(info.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      expect(describeCertificate(new X509Certificate(pki.root.cert))).toMatchObject({
        isCA: true,
        keyType: 'EC (P-256)',
        keySize: 256,
      });
    });
  });
});
