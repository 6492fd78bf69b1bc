import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import * as https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from './fault-server';
import { createTestPki, type TestPki } from './pki';

let pki: TestPki;
let server: FaultServer;
const body = randomBytes(200 * 1024);

beforeAll(async () => {
  pki = createTestPki();
  server = await startFaultServer({ pki, body });
});
afterAll(async () => {
  await server.close();
  pki.cleanup();
});

interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  data: Buffer;
  /** Set when the body ended abnormally (or the request failed). */
  error: string | null;
  protocol: string | null;
}

/** A plain Node request (no app code), so the server's behaviour is checked on its own. */
function raw(
  url: string,
  headers: Record<string, string> = {},
  opts: https.RequestOptions = {},
  idleMs = 1500,
): Promise<Raw> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let out: Raw = { status: 0, headers: {}, data: Buffer.alloc(0), error: null, protocol: null };
    const done = (error: string | null): void => {
      out = { ...out, data: Buffer.concat(chunks), error: out.error ?? error };
      resolve(out);
    };
    const req = https.request(url, { ca: pki.root.cert, agent: false, headers, ...opts }, (res) => {
      out.status = res.statusCode ?? 0;
      out.headers = res.headers;
      out.protocol = (res.socket as TLSSocket).getProtocol?.() ?? null;
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        // Endless bodies: stop after a few MiB.
        if (chunks.reduce((s, b) => s + b.length, 0) > 2 * 1024 * 1024) {
          req.destroy();
          done('cut');
        }
      });
      res.on('end', () => done(null));
      res.on('aborted', () => done('aborted'));
      res.on('error', (e) => done(e.message));
    });
    req.setTimeout(idleMs, () => {
      req.destroy();
      done('idle');
    });
    req.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    req.end();
  });
}

describe('fault-server', () => {
  describe('startFaultServer() main listener', () => {
    it('serves the resource with ranges and If-Range when the scenario is ok', async () => {
      const all = await raw(server.urlFor('ok', 'a'));
      expect(all.status).toBe(200);
      expect(all.data.equals(body)).toBe(true);
      expect(all.protocol).toBe('TLSv1.3');
      const part = await raw(server.urlFor('ok', 'a'), {
        range: 'bytes=10-19',
        'if-range': '"v1"',
      });
      expect(part.status).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes 10-19/${body.length}`);
      expect(part.data.equals(body.subarray(10, 20))).toBe(true);
      const stale = await raw(server.urlFor('ok', 'a'), {
        range: 'bytes=10-19',
        'if-range': '"v0"',
      });
      expect(stale.status).toBe(200);
    });

    it('drops the first response of a key after 64 KiB and then serves normally', async () => {
      const first = await raw(server.urlFor('drop-once', 'b'));
      expect(first.error).not.toBeNull();
      expect(first.data.length).toBe(64 * 1024);
      const second = await raw(server.urlFor('drop-once', 'b'));
      expect(second.data.equals(body)).toBe(true);
      expect(server.requestsFor('drop-once', 'b')).toHaveLength(2);
    });

    it('stalls with headers sent and no body for stall-always', async () => {
      const r = await raw(server.urlFor('stall-always', 'c'), {}, {}, 400);
      expect(r.status).toBe(200);
      expect(r.error).toBe('idle');
      expect(r.data.length).toBe(0);
    });

    it('closes every short-body response 1 KiB before its Content-Length', async () => {
      const r = await raw(server.urlFor('short-body', 'd'));
      expect(Number(r.headers['content-length'])).toBe(body.length);
      expect(r.data.length).toBe(body.length - 1024);
      expect(r.error).not.toBeNull();
    });

    it('writes garbage after a correct long-body response (the client framing keeps it out)', async () => {
      const r = await raw(server.urlFor('long-body', 'e'));
      expect(r.data.equals(body)).toBe(true);
      // The garbage follows the end of the response; give it a moment to be written.
      await new Promise((res) => setTimeout(res, 150));
      expect(server.requestsFor('long-body', 'e')[0].bytes).toBe(body.length + 64 * 1024);
    });

    it('streams an endless chunked body without Content-Length', async () => {
      const r = await raw(server.urlFor('endless', 'f'));
      expect(r.headers['content-length']).toBeUndefined();
      expect(r.error).toBe('cut');
      expect(r.data.length).toBeGreaterThan(2 * 1024 * 1024);
    });

    it('answers 200 to a range request for ignore-range, and a shifted Content-Range for wrong-content-range', async () => {
      expect((await raw(server.urlFor('ignore-range', 'g'), { range: 'bytes=5-9' })).status).toBe(
        200,
      );
      const w = await raw(server.urlFor('wrong-content-range', 'g'), { range: 'bytes=5-9' });
      expect(w.status).toBe(206);
      expect(w.headers['content-range']).toBe(`bytes 6-10/${body.length + 1}`);
    });

    it('changes the ETag on every etag-change response', async () => {
      const a = await raw(server.urlFor('etag-change', 'h'));
      const b = await raw(server.urlFor('etag-change', 'h'));
      expect(a.headers.etag).not.toBe(b.headers.etag);
    });

    it('answers 429 once and 503 always, both with Retry-After', async () => {
      const a = await raw(server.urlFor('retry-after-429', 'i'));
      expect([a.status, a.headers['retry-after']]).toEqual([429, '1']);
      expect((await raw(server.urlFor('retry-after-429', 'i'))).status).toBe(200);
      for (let i = 0; i < 2; i++) {
        const r = await raw(server.urlFor('retry-after-503', 'i'));
        expect([r.status, r.headers['retry-after']]).toEqual([503, '1']);
      }
    });

    it('redirects in a loop, to http and to another host name', async () => {
      expect((await raw(server.urlFor('redirect-loop', 'j'))).headers.location).toBe(
        '/s/redirect-loop/j',
      );
      expect((await raw(server.urlFor('redirect-http', 'j'))).headers.location).toMatch(
        /^http:\/\//,
      );
      expect((await raw(server.urlFor('redirect-unpinned', 'j'))).headers.location).toMatch(
        /^https:\/\/localhost:\d+\/s\/ok\/j$/,
      );
    });

    it('serves a body with one flipped byte for corrupt', async () => {
      const r = await raw(server.urlFor('corrupt', 'k'));
      expect(r.data.length).toBe(body.length);
      expect(r.data.equals(body)).toBe(false);
    });
  });

  describe('startFaultServer() TLS listeners', () => {
    it('speaks only TLS 1.2 on tls12-only', async () => {
      const ok = await raw(server.tlsUrl('tls12-only', 'x'));
      expect(ok.protocol).toBe('TLSv1.2');
      const refused = await raw(server.tlsUrl('tls12-only', 'x'), {}, { minVersion: 'TLSv1.3' });
      expect(refused.status).toBe(0);
      expect(refused.error).toMatch(/PROTOCOL_VERSION|EPROTO|UNSUPPORTED/);
    });

    it.each([
      ['expired', 'CERT_HAS_EXPIRED'],
      ['untrusted', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
      ['wrong-host', 'ERR_TLS_CERT_ALTNAME_INVALID'],
      ['mixed-chain', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ] as const)('presents a certificate Node itself refuses on %s', async (scenario, code) => {
      const r = await raw(server.tlsUrl(scenario, 'x'));
      expect(r.status).toBe(0);
      expect(r.error).toBe(code);
    });

    it('presents a valid chain with a key other than the genuine one on mitm-key', async () => {
      let pinSeen = '';
      const r = await raw(
        server.tlsUrl('mitm-key', 'x'),
        {},
        {
          checkServerIdentity: (_host, cert) => {
            pinSeen = cert.pubkey?.toString('base64') ?? '';
            return undefined;
          },
        },
      );
      expect(r.status).toBe(200);
      expect(pinSeen).not.toBe('');
      expect(server.genuinePin).toBe(pki.leaf.pin);
    });

    it('staples a revoked OCSP response on revoked-staple', async () => {
      const staple = await new Promise<Buffer | null>((resolve) => {
        const req = https.request(server.tlsUrl('revoked-staple', 'x'), {
          ca: pki.root.cert,
          agent: false,
          requestOCSP: true,
        } as https.RequestOptions);
        req.on('socket', (s) => s.once('OCSPResponse', (b: Buffer) => resolve(b)));
        req.on('response', (res) => res.resume());
        req.on('error', () => resolve(null));
        req.end();
      });
      expect(staple?.length ?? 0).toBeGreaterThan(0);
    });

    it('demands a client certificate on mtls-required', async () => {
      const r = await raw(server.tlsUrl('mtls-required', 'x'));
      expect(r.status).toBe(0);
      expect(r.error).toMatch(/CERTIFICATE_REQUIRED|ECONNRESET/);
    });
  });
});
