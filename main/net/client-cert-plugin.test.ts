import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type CertKey, type TestPki } from '../test-support/pki';
import { startTlsServer, type TlsTestServer } from '../test-support/tls-server';
import type { ConnectionSecurityPatch } from './options';
import { SecureClient } from './secure-client';

let pki: TestPki;
let clientCert: CertKey;
let encKey: string;
let server: TlsTestServer;
const clients: SecureClient[] = [];

beforeAll(async () => {
  pki = createTestPki();
  clientCert = pki.issueLeaf('mtls-client', { hosts: ['client.test'], cn: 'mtls-client' });
  encKey = join(pki.dir, 'mtls-enc.key');
  execFileSync('openssl', [
    'pkey',
    '-in',
    clientCert.keyFile,
    '-aes256',
    '-passout',
    'pass:pw',
    '-out',
    encKey,
  ]);
  server = await startTlsServer({
    cert: pki.chainPem,
    key: pki.leaf.key,
    ca: [pki.root.cert, pki.intermediate.cert],
    requestCert: true,
    rejectUnauthorized: true,
    handler: (req, res) =>
      res.end(`hello ${(req.socket as TLSSocket).getPeerCertificate().subject?.CN}`),
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  pki.cleanup();
});

function client(options: ConnectionSecurityPatch): SecureClient {
  const c = new SecureClient({
    options: {
      ca: [pki.root.cert],
      useSystemRoots: false,
      retry: { maxAttempts: 2, initialDelayMs: 5 },
      ...options,
    },
  });
  clients.push(c);
  return c;
}

async function text(c: SecureClient): Promise<string> {
  const res = await c.request(server.url);
  let out = '';
  for await (const chunk of res.body) out += chunk.toString();
  return out;
}

describe('client-cert-plugin', () => {
  describe('SecureClient with clientCertificates', () => {
    it('presents the configured certificate to a server that requires one', async () => {
      const c = client({
        clientCertificates: [
          { host: '127.0.0.1', certFile: clientCert.certFile, keyFile: encKey, passphrase: 'pw' },
        ],
      });
      expect(await text(c)).toBe('hello mtls-client');
    });

    it("applies a '*' certificate (the CLI's --cert) to every host", async () => {
      const c = client({
        clientCertificates: [
          { host: '*', certFile: clientCert.certFile, keyFile: clientCert.keyFile },
        ],
      });
      expect(await text(c)).toBe('hello mtls-client');
    });

    it('fails with ERR_CLIENT_CERT_REQUIRED (not retried) when no certificate matches the host', async () => {
      const c = client({
        clientCertificates: [
          { host: 'other.example', certFile: clientCert.certFile, keyFile: clientCert.keyFile },
        ],
      });
      const retries: unknown[] = [];
      c.on('retry', (e) => retries.push(e));
      await expect(text(c)).rejects.toMatchObject({ code: 'ERR_CLIENT_CERT_REQUIRED' });
      expect(retries).toHaveLength(0);
    });

    it('validates when configured: a wrong passphrase fails at construction and on update', () => {
      expect(() =>
        client({
          clientCertificates: [
            {
              host: '127.0.0.1',
              certFile: clientCert.certFile,
              keyFile: encKey,
              passphrase: 'bad',
            },
          ],
        }),
      ).toThrow(expect.objectContaining({ code: 'ERR_CLIENT_CERT_PASSPHRASE' }));
      const c = client({});
      expect(() =>
        c.updateOptions({
          clientCertificates: [
            { host: '127.0.0.1', certFile: clientCert.certFile, keyFile: pki.leaf.keyFile },
          ],
        }),
      ).toThrow(expect.objectContaining({ code: 'ERR_CLIENT_CERT_KEY_MISMATCH' }));
    });
  });
});
