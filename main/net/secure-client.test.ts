import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../test-support/pki';
import { startTlsServer, type TlsTestServer } from '../test-support/tls-server';
import { SecureClient } from './secure-client';
import type { PinReport } from './types';
import type { ConnectionFacts } from '../../preload/contract';

let pki: TestPki;
const servers: TlsTestServer[] = [];
const clients: SecureClient[] = [];

beforeAll(() => {
  pki = createTestPki();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(servers.map((s) => s.close()));
  pki.cleanup();
});

async function serve(
  opts: Partial<Parameters<typeof startTlsServer>[0]> = {},
): Promise<TlsTestServer> {
  const s = await startTlsServer({ cert: pki.chainPem, key: pki.leaf.key, ...opts });
  servers.push(s);
  return s;
}

function client(options: ConstructorParameters<typeof SecureClient>[0] = {}): SecureClient {
  const c = new SecureClient({
    ...options,
    options: {
      ca: [pki.root.cert],
      useSystemRoots: false,
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
      ...options.options,
    },
  });
  clients.push(c);
  return c;
}

async function text(body: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of body) out += chunk.toString();
  return out;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'resolved';
}

describe('secure-client', () => {
  describe('request()', () => {
    it('fetches over TLS 1.3 and records connection facts with the verified chain', async () => {
      const s = await serve({ handler: (_q, r) => r.end('hello') });
      const c = client();
      const seen: ConnectionFacts[] = [];
      c.on('connection', (f) => seen.push(f));
      const res = await c.get(`${s.url}/x`);
      expect(res.status).toBe(200);
      expect(await text(res.body)).toBe('hello');
      expect(res.facts.tlsVersion).toBe('TLSv1.3');
      expect(res.facts.alpn).toBe('http/1.1');
      expect(res.facts.remoteAddress).toBe('127.0.0.1');
      expect(res.facts.chain.map((c) => c.spkiPin)).toEqual([
        pki.leaf.pin,
        pki.intermediate.pin,
        pki.root.pin,
      ]);
      expect(res.facts.chain[0].sans).toContain('IP Address:127.0.0.1');
      expect(res.facts.chain[2].isCA).toBe(true);
      expect(res.facts.ocsp.status).toBe('off');
      expect(res.facts.pinPolicy).toBe('none');
      expect(seen).toHaveLength(1);
    });

    it('refuses a TLS 1.2-only server with ERR_TLS_VERSION', async () => {
      const s = await serve({ maxVersion: 'TLSv1.2' });
      expect(await codeOf(client().get(s.url))).toBe('ERR_TLS_VERSION');
    });

    it('accepts a TLS 1.2 server when the minimum is lowered to 1.2', async () => {
      const s = await serve({ maxVersion: 'TLSv1.2' });
      const res = await client({ options: { minTlsVersion: 'TLSv1.2' } }).get(s.url);
      expect(res.facts.tlsVersion).toBe('TLSv1.2');
      res.body.resume();
    });

    it('rejects http:// URLs with ERR_INSECURE_URL', async () => {
      expect(await codeOf(client().get('http://127.0.0.1/'))).toBe('ERR_INSECURE_URL');
    });
  });

  describe('pinning', () => {
    it('accepts leaf, intermediate, root and backup pins', async () => {
      const s = await serve();
      const backup = 'sha256/' + Buffer.alloc(32, 7).toString('base64');
      for (const [pin, index] of [
        [pki.leaf.pin, 0],
        [pki.intermediate.pin, 1],
        [pki.root.pin, 2],
      ] as const) {
        const c = client({
          options: { pins: [{ host: '127.0.0.1', publicKeyHashes: [backup, pin] }] },
        });
        const res = await c.get(s.url);
        res.body.resume();
        expect(res.facts.matchedPin).toEqual({ pin, certIndex: index });
        expect(res.facts.pinPolicy).toBe('enforced');
      }
    });

    it('refuses a wrong pin, listing every chain certificate, and sends no request', async () => {
      const s = await serve();
      const wrong = 'sha256/' + Buffer.alloc(32, 1).toString('base64');
      const c = client({ options: { pins: [{ host: '127.0.0.1', publicKeyHashes: [wrong] }] } });
      const reports: PinReport[] = [];
      c.on('pinReport', (r) => reports.push(r));
      const err = await c.get(s.url).catch((e) => e);
      expect(err.code).toBe('ERR_PIN_MISMATCH');
      expect(err.message).toContain('127.0.0.1');
      expect(err.message).toContain(wrong);
      for (const p of [pki.leaf.pin, pki.intermediate.pin, pki.root.pin])
        expect(err.message).toContain(p);
      expect(err.details.chain).toHaveLength(3);
      expect(s.requests).toBe(0);
      expect(reports[0]).toMatchObject({ host: '127.0.0.1', enforced: true, matched: false });
    });

    it('applies pins added at runtime to the next request on a pooled socket', async () => {
      const s = await serve();
      const c = client();
      (await c.get(s.url)).body.resume();
      await new Promise((r) => setTimeout(r, 20));
      c.pins.add({
        host: '127.0.0.1',
        publicKeyHashes: ['sha256/' + Buffer.alloc(32, 2).toString('base64')],
      });
      expect(await codeOf(c.get(s.url))).toBe('ERR_PIN_MISMATCH');
      expect(s.handshakes).toBe(1);
      expect(s.requests).toBe(1);
    });
  });
});
