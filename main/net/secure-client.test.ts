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
      // Default soft revocation (built-in plugin): this server staples nothing.
      expect(res.facts.ocsp.status).toBe('absent');
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

describe('secure-client trust', () => {
  describe('request()', () => {
    it.each([
      [
        'untrusted (self-signed)',
        () => pki.issueLeaf('self', { issuer: 'self' }),
        'ERR_CERT_UNTRUSTED',
      ],
      ['expired', () => pki.issueLeaf('expired', { startDays: -10, days: 5 }), 'ERR_CERT_EXPIRED'],
      ['not yet valid', () => pki.issueLeaf('future', { startDays: 5 }), 'ERR_CERT_NOT_YET_VALID'],
      [
        'wrong host',
        () => pki.issueLeaf('wronghost', { hosts: ['other.example'] }),
        'ERR_CERT_HOSTNAME',
      ],
    ])('refuses a %s certificate with its own code', async (_name, make, code) => {
      const leaf = make();
      const s = await serve({ cert: leaf.cert + pki.intermediate.cert, key: leaf.key });
      expect(await codeOf(client().get(s.url))).toBe(code);
      expect(s.requests).toBe(0);
    });

    it('refuses a chain from a CA that is not trusted', async () => {
      const other = pki.createCa('Other');
      const leaf = pki.issueLeaf('other-ca', { issuer: other.intermediate });
      const s = await serve({ cert: leaf.cert + other.intermediate.cert, key: leaf.key });
      expect(await codeOf(client().get(s.url))).toBe('ERR_CERT_UNTRUSTED');
    });

    it('trusts extra CA files in addition to the configured roots', async () => {
      const other = pki.createCa('Extra');
      const leaf = pki.issueLeaf('extra-ca', { issuer: other.intermediate });
      const s = await serve({ cert: leaf.cert + other.intermediate.cert, key: leaf.key });
      const res = await client({ options: { caFiles: [other.root.certFile] } }).get(s.url);
      expect(res.status).toBe(200);
      res.body.resume();
    });

    it('refuses the mixed-chain attack: attacker leaf sent with the genuine pinned intermediate', async () => {
      // The attacker holds a certificate from another CA the client trusts (mis-issuance) and
      // sends the genuine, pinned intermediate along. Matching pins against the list the server
      // sent would accept it; matching against the verified chain must not (CVE-2016-2402).
      const attacker = pki.createCa('Attacker');
      const evil = pki.issueLeaf('evil', { issuer: attacker.intermediate });
      const s = await serve({
        cert: evil.cert + pki.intermediate.cert + attacker.intermediate.cert,
        key: evil.key,
      });
      const c = client({
        options: {
          ca: [pki.root.cert, attacker.root.cert],
          pins: [{ host: '127.0.0.1', publicKeyHashes: [pki.intermediate.pin] }],
        },
      });
      const err = await c.get(s.url).catch((e) => e);
      expect(err.code).toBe('ERR_PIN_MISMATCH');
      const pins = (err.details.chain as { pin: string }[]).map((x) => x.pin);
      expect(pins).toEqual([evil.pin, attacker.intermediate.pin, attacker.root.pin]);
      expect(pins).not.toContain(pki.intermediate.pin);
      expect(s.requests).toBe(0);
    });

    it('enforces subject and issuer rules on the leaf', async () => {
      const s = await serve();
      const ok = client({
        options: {
          pins: [
            {
              host: '127.0.0.1',
              publicKeyHashes: [pki.root.pin],
              subjectName: 'O=LLMrecon Test, CN=localhost',
              issuer: '/O=LLMrecon Test/CN=Test Intermediate CA',
            },
          ],
        },
      });
      (await ok.get(s.url)).body.resume();
      const badSubject = client({
        options: {
          pins: [{ host: '127.0.0.1', publicKeyHashes: [pki.root.pin], subjectName: 'CN=evil' }],
        },
      });
      expect(await codeOf(badSubject.get(s.url))).toBe('ERR_CERT_SUBJECT');
      const badIssuer = client({
        options: {
          pins: [{ host: '127.0.0.1', publicKeyHashes: [pki.root.pin], issuer: 'CN=evil' }],
        },
      });
      expect(await codeOf(badIssuer.get(s.url))).toBe('ERR_CERT_ISSUER');
    });

    it('fails closed with ERR_PIN_SET_EXPIRED past the pin-set expiry, even when the pin matches', async () => {
      const s = await serve();
      const c = client({
        options: {
          pins: [
            { host: '127.0.0.1', publicKeyHashes: [pki.leaf.pin], expires: '2001-01-01T00:00:00Z' },
          ],
        },
      });
      const err = await c.get(s.url).catch((e) => e);
      expect(err.code).toBe('ERR_PIN_SET_EXPIRED');
      expect(err.message).toMatch(/pin it again/);
    });

    it('lets a report-only mismatch through but reports it', async () => {
      const s = await serve();
      const wrong = 'sha256/' + Buffer.alloc(32, 3).toString('base64');
      const c = client({
        options: { pins: [{ host: '127.0.0.1', publicKeyHashes: [wrong], reportOnly: true }] },
      });
      const reports: PinReport[] = [];
      c.on('pinReport', (r) => reports.push(r));
      const res = await c.get(s.url);
      res.body.resume();
      expect(res.facts.pinPolicy).toBe('report-only');
      expect(res.facts.matchedPin).toBeNull();
      expect(reports).toEqual([
        expect.objectContaining({ enforced: false, matched: false, code: 'ERR_PIN_MISMATCH' }),
      ]);
    });

    it('applies per-request pins in addition to the registry', async () => {
      const s = await serve();
      const c = client();
      const wrong = 'sha256/' + Buffer.alloc(32, 4).toString('base64');
      expect(await codeOf(c.get(s.url, { pins: [wrong] }))).toBe('ERR_PIN_MISMATCH');
      expect(await codeOf(c.get(s.url, { pins: ['garbage'] }))).toBe('ERR_INVALID_PIN');
      const res = await c.get(s.url, { pins: [wrong, pki.intermediate.pin] });
      res.body.resume();
      expect(res.facts.matchedPin?.certIndex).toBe(1);
    });

    it('matches host patterns against real connections (*.one-label and **.any-depth)', async () => {
      const leaf = pki.issueLeaf('wild', { hosts: ['a.pins.test', 'x.y.pins.test'] });
      const s = await serve({ cert: leaf.cert + pki.intermediate.cert, key: leaf.key });
      const wrong = 'sha256/' + Buffer.alloc(32, 5).toString('base64');
      const c = client({
        options: {
          resolve: { 'a.pins.test': '127.0.0.1', 'x.y.pins.test': '127.0.0.1' },
          pins: [{ host: '*.pins.test', publicKeyHashes: [wrong] }],
        },
      });
      expect(await codeOf(c.get(`https://a.pins.test:${s.port}/`))).toBe('ERR_PIN_MISMATCH');
      // one-label wildcard does not cover x.y.pins.test: unpinned, so it connects
      (await c.get(`https://x.y.pins.test:${s.port}/`)).body.resume();
      c.pins.add({ host: '**.pins.test', publicKeyHashes: [wrong] });
      expect(await codeOf(c.get(`https://x.y.pins.test:${s.port}/`))).toBe('ERR_PIN_MISMATCH');
    });
  });
});

describe('secure-client session resumption', () => {
  it('never resumes TLS sessions, so pins changed between connections are still enforced', async () => {
    const s = await serve();
    const c = client({
      options: { pins: [{ host: '127.0.0.1', publicKeyHashes: [pki.leaf.pin] }] },
    });
    (await c.get(s.url, { headers: { connection: 'close' } })).body.resume();
    await new Promise((r) => setTimeout(r, 50));
    (await c.get(s.url, { headers: { connection: 'close' } })).body.resume();
    await new Promise((r) => setTimeout(r, 50));
    c.pins.replace([
      { host: '127.0.0.1', publicKeyHashes: ['sha256/' + Buffer.alloc(32, 6).toString('base64')] },
    ]);
    expect(await codeOf(c.get(s.url))).toBe('ERR_PIN_MISMATCH');
    // Three fresh TCP connections, none resumed: the third was checked in full and refused.
    expect(s.connections).toBe(3);
    expect(s.requests).toBe(2);
    expect(s.resumed).toBe(0);
  });
});

describe('secure-client pool', () => {
  it('serves N sequential requests over one TLS handshake', async () => {
    const s = await serve();
    const c = client();
    for (let i = 0; i < 5; i++) {
      const res = await c.get(`${s.url}/${i}`);
      expect(await text(res.body)).toBe('ok');
    }
    expect(s.handshakes).toBe(1);
    expect(s.requests).toBe(5);
    expect(c.poolStats()).toMatchObject({ created: 1, reused: 4, active: 0, idle: 1 });
  });

  it('respects maxSocketsPerHost under a concurrent burst', async () => {
    const s = await serve({ handler: (_q, r) => setTimeout(() => r.end('ok'), 30) });
    const c = client({ options: { pool: { maxSocketsPerHost: 2 } } });
    const all = await Promise.all(
      Array.from({ length: 6 }, () => c.get(s.url).then((r) => text(r.body))),
    );
    expect(all).toEqual(Array(6).fill('ok'));
    expect(s.handshakes).toBe(2);
  });

  it('retires pooled sockets when the trust configuration changes', async () => {
    const s = await serve();
    const c = client();
    (await c.get(s.url)).body.resume();
    await new Promise((r) => setTimeout(r, 20));
    c.updateOptions({ ca: [pki.root.cert, pki.intermediate.cert] });
    (await c.get(s.url)).body.resume();
    expect(s.handshakes).toBe(2);
  });
});
