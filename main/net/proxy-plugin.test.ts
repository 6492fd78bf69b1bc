import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorPayload } from '../errors';
import { createTestPki, type TestPki } from '../test-support/pki';
import { startSquid, type Squid } from '../test-support/squid';
import { startTlsServer, type TlsTestServer } from '../test-support/tls-server';
import type { ConnectionSecurityPatch } from './options';
import { createProxyPlugin } from './proxy-plugin';
import { SecureClient } from './secure-client';

const PASSWORD = 'p@ss w0rd:secret';
let pki: TestPki;
let squid: Squid;
let server: TlsTestServer;
let tls12Server: TlsTestServer;
const clients: SecureClient[] = [];

beforeAll(async () => {
  pki = createTestPki();
  squid = await startSquid({ alice: PASSWORD });
  server = await startTlsServer({
    cert: pki.chainPem,
    key: pki.leaf.key,
    handler: (_q, r) => r.end('through'),
  });
  tls12Server = await startTlsServer({
    cert: pki.chainPem,
    key: pki.leaf.key,
    maxVersion: 'TLSv1.2',
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([server.close(), tls12Server.close(), squid.close()]);
  pki.cleanup();
});

function client(
  options: ConnectionSecurityPatch,
  config: Partial<ConstructorParameters<typeof SecureClient>[0]> = {},
): SecureClient {
  const c = new SecureClient({
    ...config,
    options: {
      ca: [pki.root.cert],
      useSystemRoots: false,
      proxyFromEnv: false,
      retry: { maxAttempts: 2, initialDelayMs: 5 },
      ...options,
    },
  });
  clients.push(c);
  return c;
}

async function failure(
  p: Promise<unknown>,
): Promise<{ code: string; message: string; payload: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { code: string };
    return { code: e.code, message: e.message, payload: JSON.stringify(toErrorPayload(err)) };
  }
  throw new Error('expected a failure');
}

describe('proxy-plugin', () => {
  describe('SecureClient through a real squid with Basic auth', () => {
    it('tunnels a request through the proxy and marks the facts', async () => {
      const c = client({ proxy: squid.url('alice', PASSWORD) });
      const res = await c.request(server.url);
      let body = '';
      for await (const chunk of res.body) body += chunk.toString();
      expect(body).toBe('through');
      expect(res.facts.viaProxy).toBe(true);
      expect(res.facts.tlsVersion).toBe('TLSv1.3');
      // squid logs a CONNECT when the tunnel closes.
      await c.close();
      const pattern = new RegExp(`CONNECT 127\\.0\\.0\\.1:${server.port} alice`);
      const deadline = Date.now() + 10_000;
      while (!pattern.test(squid.accessLog()) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(squid.accessLog()).toMatch(pattern);
    });

    it('fails with ERR_PROXY_AUTH on bad credentials, without leaking them', async () => {
      const c = client({ proxy: squid.url('alice', 'wrong-hunter2') });
      const events: unknown[] = [];
      c.on('retry', (e) => events.push(e));
      const f = await failure(c.request(server.url));
      expect(f.code).toBe('ERR_PROXY_AUTH');
      expect(events).toHaveLength(0);
      expect(f.message + f.payload).not.toContain('hunter2');
      expect(f.message + f.payload).not.toContain('alice:');
    });

    it('fails with ERR_PROXY_AUTH when credentials are missing', async () => {
      expect((await failure(client({ proxy: squid.url() }).request(server.url))).code).toBe(
        'ERR_PROXY_AUTH',
      );
    });

    it('still refuses a pin mismatch inside the tunnel', async () => {
      const c = client({
        proxy: squid.url('alice', PASSWORD),
        pins: [
          { host: '127.0.0.1', publicKeyHashes: ['sha256/' + Buffer.alloc(32).toString('base64')] },
        ],
      });
      const f = await failure(c.request(server.url));
      expect(f.code).toBe('ERR_PIN_MISMATCH');
      expect(f.message).toContain(pki.leaf.pin);
    });

    it('still enforces TLS 1.3 inside the tunnel', async () => {
      const f = await failure(
        client({ proxy: squid.url('alice', PASSWORD) }).request(tls12Server.url),
      );
      expect(f.code).toBe('ERR_TLS_VERSION');
    });

    it('uses HTTPS_PROXY from the environment and honours NO_PROXY', async () => {
      const env = { HTTPS_PROXY: squid.url('alice', PASSWORD), NO_PROXY: 'example.org' };
      const viaEnv = client(
        { proxyFromEnv: true },
        { builtinPlugins: true, plugins: [createProxyPlugin(env)] },
      );
      const res = await viaEnv.request(server.url);
      res.body.resume();
      expect(res.facts.viaProxy).toBe(true);
      const bypass = client(
        { proxyFromEnv: true },
        { plugins: [createProxyPlugin({ ...env, NO_PROXY: '127.0.0.1' })] },
      );
      const direct = await bypass.request(server.url);
      direct.body.resume();
      expect(direct.facts.viaProxy).toBe(false);
    });

    it('reports an unreachable proxy as ERR_PROXY', async () => {
      const f = await failure(
        client({ proxy: 'http://bob:hunter2@127.0.0.1:1', retry: { maxAttempts: 1 } }).request(
          server.url,
        ),
      );
      expect(f.code).toBe('ERR_PROXY');
      expect(f.message + f.payload).not.toContain('hunter2');
    });
  });
});
