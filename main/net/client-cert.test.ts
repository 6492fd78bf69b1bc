import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type CertKey, type TestPki } from '../test-support/pki';
import { loadClientCertificate, mapClientCertAlert } from './client-cert';

let pki: TestPki;
let client: CertKey;
let otherCaClient: CertKey;
let encKey: string;
let pfx: string;
let server: Server;
let port: number;

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: pki.dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

beforeAll(async () => {
  pki = createTestPki();
  client = pki.issueLeaf('client', { hosts: ['client.test'], cn: 'mtls-client' });
  const other = pki.createCa('Stranger');
  otherCaClient = pki.issueLeaf('stranger-client', {
    hosts: ['client.test'],
    issuer: other.intermediate,
  });
  encKey = join(pki.dir, 'client-enc.key');
  openssl(['pkey', '-in', client.keyFile, '-aes256', '-passout', 'pass:s3cret', '-out', encKey]);
  pfx = join(pki.dir, 'client.p12');
  openssl([
    'pkcs12',
    '-export',
    '-in',
    client.certFile,
    '-inkey',
    client.keyFile,
    '-passout',
    'pass:s3cret',
    '-out',
    pfx,
  ]);
  // The server demands a client certificate issued by the test PKI.
  server = createServer(
    {
      cert: pki.chainPem,
      key: pki.leaf.key,
      ca: [pki.root.cert, pki.intermediate.cert],
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.end(`hello ${peer.subject?.CN}`);
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  pki.cleanup();
});

/** `openssl s_server` demanding a client certificate from the test PKI, on a free port. */
async function startOpensslServer(): Promise<{ port: number; close(): void }> {
  const free = createNetServer().listen(0, '127.0.0.1');
  await once(free, 'listening');
  const freePort = (free.address() as AddressInfo).port;
  await new Promise((r) => free.close(r));
  const bundle = join(pki.dir, 'client-ca-bundle.pem');
  writeFileSync(bundle, pki.root.cert + pki.intermediate.cert);
  const child = spawn(
    'openssl',
    [
      's_server',
      '-accept',
      `127.0.0.1:${freePort}`,
      '-cert',
      pki.leaf.certFile,
      '-key',
      pki.leaf.keyFile,
      '-cert_chain',
      pki.intermediate.certFile,
      '-CAfile',
      bundle,
      '-Verify',
      '3',
      '-verify_return_error',
      '-www',
      '-tls1_3',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ACCEPT')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`s_server exited ${code}`)));
  });
  return { port: freePort, close: () => child.kill() };
}

/** GET / over real TLS 1.3 with the given client TLS options. */
function get(tls: object): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port,
        path: '/',
        ca: pki.root.cert,
        minVersion: 'TLSv1.3',
        agent: false,
        ...tls,
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('client-cert', () => {
  describe('loadClientCertificate()', () => {
    it('loads a PEM pair with an encrypted key and is accepted by a server requiring mTLS', async () => {
      const loaded = loadClientCertificate({
        host: 'localhost',
        certFile: client.certFile,
        keyFile: encKey,
        passphrase: 's3cret',
      });
      expect(loaded.subject).toContain('mtls-client');
      expect(await get(loaded.options)).toBe('hello mtls-client');
    });

    it('loads a PKCS#12 bundle that the server accepts', async () => {
      const loaded = loadClientCertificate({
        host: 'localhost',
        pfxFile: pfx,
        passphrase: 's3cret',
      });
      expect(await get(loaded.options)).toBe('hello mtls-client');
    });

    it('reports a wrong or missing passphrase for a PEM key and a PKCS#12 file', () => {
      for (const c of [
        { host: 'h', certFile: client.certFile, keyFile: encKey, passphrase: 'nope' },
        { host: 'h', certFile: client.certFile, keyFile: encKey },
        { host: 'h', pfxFile: pfx, passphrase: 'nope' },
      ]) {
        expect(() => loadClientCertificate(c)).toThrow(
          expect.objectContaining({ code: 'ERR_CLIENT_CERT_PASSPHRASE' }),
        );
      }
    });

    it('reports a key that does not belong to the certificate', () => {
      expect(() =>
        loadClientCertificate({ host: 'h', certFile: client.certFile, keyFile: pki.leaf.keyFile }),
      ).toThrow(expect.objectContaining({ code: 'ERR_CLIENT_CERT_KEY_MISMATCH' }));
    });

    it('reports unreadable files', () => {
      const junk = join(pki.dir, 'junk.pem');
      writeFileSync(junk, 'not a certificate');
      for (const c of [
        { host: 'h', certFile: join(pki.dir, 'missing.crt'), keyFile: client.keyFile },
        { host: 'h', certFile: junk, keyFile: client.keyFile },
        { host: 'h', certFile: client.certFile, keyFile: junk },
        { host: 'h', pfxFile: junk },
        { host: 'h', certFile: client.certFile },
      ]) {
        expect(() => loadClientCertificate(c)).toThrow(
          expect.objectContaining({ code: 'ERR_CLIENT_CERT_INVALID' }),
        );
      }
    });

    it('gives the same id for the same material and a new id when it changes', () => {
      const a = loadClientCertificate({
        host: 'h',
        certFile: client.certFile,
        keyFile: client.keyFile,
      });
      const b = loadClientCertificate({
        host: 'h',
        certFile: client.certFile,
        keyFile: client.keyFile,
      });
      const c = loadClientCertificate({
        host: 'h',
        certFile: client.certFile,
        keyFile: encKey,
        passphrase: 's3cret',
      });
      expect(a.id).toBe(b.id);
      expect(c.id).not.toBe(a.id);
    });
  });

  describe('mapClientCertAlert()', () => {
    it('maps the TLS 1.3 certificate_required alert of a real server to ERR_CLIENT_CERT_REQUIRED', async () => {
      const err = await get({}).catch((e: unknown) => e);
      expect((err as { code: string }).code).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
      expect(mapClientCertAlert(err, 'localhost')).toMatchObject({
        code: 'ERR_CLIENT_CERT_REQUIRED',
      });
    });

    it('maps a server refusing a certificate from a CA it does not trust to ERR_CLIENT_CERT_REJECTED', async () => {
      // Node's own server drops such a client without an alert, so use openssl s_server,
      // which verifies in the handshake and answers with unknown_ca.
      const s = await startOpensslServer();
      try {
        const stranger = loadClientCertificate({
          host: 'h',
          certFile: otherCaClient.certFile,
          keyFile: otherCaClient.keyFile,
        });
        const err = await get({ ...stranger.options, port: s.port }).catch((e: unknown) => e);
        expect((err as { code: string }).code).toBe('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA');
        expect(mapClientCertAlert(err, 'localhost')).toMatchObject({
          code: 'ERR_CLIENT_CERT_REJECTED',
        });
        // The same server accepts the right certificate.
        const good = loadClientCertificate({
          host: 'h',
          certFile: client.certFile,
          keyFile: client.keyFile,
        });
        expect(await get({ ...good.options, port: s.port })).toContain('s_server');
      } finally {
        s.close();
      }
    });

    it('leaves unrelated errors alone', () => {
      expect(
        mapClientCertAlert(Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'h'),
      ).toBeNull();
    });
  });
});
