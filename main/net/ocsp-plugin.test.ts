import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOcspFixtures, type OcspFixtures } from '../test-support/ocsp-fixtures';
import {
  startOcspResponder,
  startStaplingServer,
  type OcspResponderServer,
  type StaplingServer,
} from '../test-support/ocsp-server';
import { createTestPki, type CertKey, type TestPki } from '../test-support/pki';
import { SecureClient } from './secure-client';
import type { ConnectionSecurityPatch } from './options';

let pki: TestPki;
let fx: OcspFixtures;
let server: StaplingServer;
let responder: OcspResponderServer;
let aiaLeaf: CertKey;
let aiaServer: StaplingServer;
const clients: SecureClient[] = [];

beforeAll(async () => {
  pki = createTestPki();
  fx = createOcspFixtures(pki);
  server = await startStaplingServer({ cert: pki.chainPem, key: pki.leaf.key }, null);
  responder = await startOcspResponder(Buffer.alloc(0));
  aiaLeaf = pki.issueLeaf('aia', {
    extraExtensions: [`authorityInfoAccess = OCSP;URI:${responder.url}`],
  });
  aiaServer = await startStaplingServer(
    { cert: aiaLeaf.cert + pki.intermediate.cert, key: aiaLeaf.key },
    null,
  );
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await Promise.all([server.close(), responder.close(), aiaServer.close()]);
  pki.cleanup();
});

function client(options: ConnectionSecurityPatch = {}, builtinPlugins = true): SecureClient {
  const c = new SecureClient({
    builtinPlugins,
    options: { ca: [pki.root.cert], useSystemRoots: false, retry: { maxAttempts: 1 }, ...options },
  });
  clients.push(c);
  return c;
}

async function fetchVia(c: SecureClient, url = server.url) {
  const res = await c.request(url);
  res.body.resume();
  return res;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'resolved',
    (err: { code: string }) => err.code,
  );
}

describe('ocsp-plugin', () => {
  describe('SecureClient with revocation checking', () => {
    it('asks for a staple and records a good one in the connection facts', async () => {
      server.setStaple(fx.respond({ cert: pki.leaf, status: 'good' }));
      const res = await fetchVia(client());
      expect(res.status).toBe(200);
      expect(res.facts.ocsp).toMatchObject({ status: 'good', source: 'staple' });
      expect(res.facts.ocsp.nextUpdate).not.toBeNull();
    });

    it('refuses a revoked staple in the default soft mode', async () => {
      server.setStaple(fx.respond({ cert: pki.leaf, status: 'revoked' }));
      expect(await codeOf(fetchVia(client()))).toBe('ERR_CERT_REVOKED');
    });

    it('lets the same revoked staple through only when revocation is off (the check is what refuses)', async () => {
      server.setStaple(fx.respond({ cert: pki.leaf, status: 'revoked' }));
      const res = await fetchVia(client({ revocation: 'off' }));
      expect(res.facts.ocsp.status).toBe('off');
    });

    it('records an expired or wrong-signer staple in soft mode and refuses it in hard mode', async () => {
      server.setStaple(await fx.expired(pki.leaf));
      expect((await fetchVia(client())).facts.ocsp).toMatchObject({
        status: 'error',
        source: 'staple',
      });
      expect(await codeOf(fetchVia(client({ revocation: 'hard' })))).toBe('ERR_OCSP_INVALID');
      server.setStaple(
        fx.respond({ cert: pki.leaf, status: 'good', signer: fx.otherIntermediate }),
      );
      expect(await codeOf(fetchVia(client({ revocation: 'hard' })))).toBe('ERR_OCSP_INVALID');
    });

    it('allows a missing staple in soft mode and refuses it in hard mode', async () => {
      server.setStaple(null);
      expect((await fetchVia(client())).facts.ocsp.status).toBe('absent');
      expect(await codeOf(fetchVia(client({ revocation: 'hard' })))).toBe('ERR_OCSP_MISSING');
    });

    it('applies a per-host mode over the default', async () => {
      server.setStaple(null);
      const c = client({
        revocation: 'soft',
        revocationHosts: [{ host: 'localhost', mode: 'hard' }],
      });
      expect(await codeOf(fetchVia(c))).toBe('ERR_OCSP_MISSING');
    });

    it('re-checks after the policy is tightened at runtime instead of reusing a pooled socket', async () => {
      server.setStaple(null);
      const c = client();
      expect((await fetchVia(c)).facts.ocsp.status).toBe('absent');
      c.updateOptions({ revocation: 'hard' });
      expect(await codeOf(fetchVia(c))).toBe('ERR_OCSP_MISSING');
    });

    it('honours a user CRL that lists the server certificate', async () => {
      server.setStaple(null);
      const { pemFile } = fx.crl({ revoked: [pki.leaf] });
      expect(await codeOf(fetchVia(client({ crlFiles: [pemFile] })))).toBe('ERR_CERT_REVOKED');
    });

    it('fails at construction on an unreadable CRL file', () => {
      expect(() => client({ crlFiles: [pki.dir + '/missing.crl'] })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
      );
    });

    it('queries the AIA responder when there is no staple and fallback is on', async () => {
      responder.setResponse(fx.respond({ cert: aiaLeaf, status: 'good' }));
      const res = await fetchVia(client({ ocspFallback: true, revocation: 'hard' }), aiaServer.url);
      expect(res.facts.ocsp).toMatchObject({ status: 'good', source: 'responder' });
      responder.setResponse(fx.respond({ cert: aiaLeaf, status: 'revoked' }));
      expect(await codeOf(fetchVia(client({ ocspFallback: true }), aiaServer.url))).toBe(
        'ERR_CERT_REVOKED',
      );
    });
  });
});
