import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { Transform } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createTestPki, type TestPki } from '../test-support/pki';
import { startRawServer, startTlsServer, type TlsTestServer } from '../test-support/tls-server';
import { SecureClient } from './secure-client';
import type { RetryEvent } from './types';

let pki: TestPki;
const closers: (() => Promise<void>)[] = [];

beforeAll(() => {
  pki = createTestPki();
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  pki.cleanup();
});

async function serve(
  opts: Partial<Parameters<typeof startTlsServer>[0]> = {},
): Promise<TlsTestServer> {
  const s = await startTlsServer({ cert: pki.chainPem, key: pki.leaf.key, ...opts });
  closers.push(() => s.close());
  return s;
}

function client(options: ConstructorParameters<typeof SecureClient>[0] = {}): SecureClient {
  const c = new SecureClient({
    ...options,
    options: {
      ca: [pki.root.cert],
      useSystemRoots: false,
      resolve: { localhost: '127.0.0.1' },
      retry: { initialDelayMs: 5, maxDelayMs: 20 },
      ...options.options,
    },
  });
  closers.push(() => c.close());
  return c;
}

async function text(body: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of body) out += chunk.toString();
  return out;
}

async function errorOf(p: Promise<unknown>): Promise<AppError & { phase?: string }> {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

/** Wait until `cond` holds (polling), failing after `ms`. */
async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('secure-client retries', () => {
  it('recovers from a flaky server that resets connections', async () => {
    let n = 0;
    const s = await serve({
      handler: (req, res) => {
        if (++n <= 2) req.socket.destroy();
        else res.end('finally');
      },
    });
    const c = client();
    const retries: RetryEvent[] = [];
    c.on('retry', (e) => retries.push(e));
    const res = await c.get(s.url);
    expect(await text(res.body)).toBe('finally');
    expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
    expect(retries[0].code).toBe('ERR_NETWORK');
  });

  it('retries a 503 and honours its Retry-After', async () => {
    let n = 0;
    const s = await serve({
      handler: (_q, res) => {
        if (++n === 1) {
          res.writeHead(503, { 'retry-after': '1' });
          res.end('busy');
        } else res.end('ok');
      },
    });
    const c = client({ options: { retry: { maxRetryAfterMs: 10_000 } } });
    const retries: RetryEvent[] = [];
    c.on('retry', (e) => retries.push(e));
    const started = Date.now();
    const res = await c.get(s.url);
    expect(await text(res.body)).toBe('ok');
    expect(retries).toEqual([
      expect.objectContaining({ attempt: 2, delayMs: 1000, status: 503, reason: 'HTTP 503' }),
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('returns the last retryable response once attempts are exhausted', async () => {
    const s = await serve({ handler: (_q, res) => res.writeHead(502).end() });
    const res = await client({ options: { retry: { maxAttempts: 3 } } }).get(s.url);
    expect(res.status).toBe(502);
    expect(s.requests).toBe(3);
  });

  it('does not retry a 404', async () => {
    const s = await serve({ handler: (_q, res) => res.writeHead(404).end() });
    const c = client();
    let retries = 0;
    c.on('retry', () => retries++);
    const res = await c.get(s.url);
    expect(res.status).toBe(404);
    expect(retries).toBe(0);
    expect(s.requests).toBe(1);
  });

  it('does not retry a pin failure', async () => {
    const s = await serve();
    const c = client({
      options: {
        pins: [
          { host: '127.0.0.1', publicKeyHashes: ['sha256/' + Buffer.alloc(32).toString('base64')] },
        ],
      },
    });
    let retries = 0;
    c.on('retry', () => retries++);
    expect((await errorOf(c.get(s.url))).code).toBe('ERR_PIN_MISMATCH');
    expect(retries).toBe(0);
    expect(s.connections).toBe(1);
  });

  it('stops retrying at the overall deadline', async () => {
    const s = await serve({
      handler: (_q, res) => res.writeHead(503, { 'retry-after': '5' }).end(),
    });
    const c = client({ options: { retry: { deadlineMs: 1000, maxRetryAfterMs: 10_000 } } });
    const res = await c.get(s.url);
    expect(res.status).toBe(503);
    expect(s.requests).toBe(1);
  });
});

describe('secure-client timeouts', () => {
  it('hits the connect timeout when the route never connects', async () => {
    const c = client({
      options: { timeouts: { connect: 150 } },
      plugins: [
        {
          name: 'blackhole',
          dialerFor: () => ({
            id: 'bh',
            viaProxy: true,
            dial: () => new Promise<Duplex>(() => {}),
          }),
        },
      ],
    });
    const err = await errorOf(c.get('https://127.0.0.1:9/', { retry: false }));
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', phase: 'connect' });
  });

  it('hits the TLS handshake timeout on a server that never handshakes', async () => {
    const raw = await startRawServer(() => {});
    closers.push(() => raw.close());
    const err = await errorOf(
      client({ options: { timeouts: { tlsHandshake: 150 } } }).get(raw.url, { retry: false }),
    );
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', phase: 'tlsHandshake' });
  });

  it('hits the response-headers timeout on a server that never answers', async () => {
    const s = await serve({ handler: () => {} });
    const err = await errorOf(
      client({ options: { timeouts: { responseHeaders: 150 } } }).get(s.url, { retry: false }),
    );
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', phase: 'responseHeaders' });
  });

  it('retries a headers timeout, then gives up with the timeout', async () => {
    const s = await serve({ handler: () => {} });
    const c = client({
      options: { timeouts: { responseHeaders: 100 }, retry: { maxAttempts: 2 } },
    });
    const err = await errorOf(c.get(s.url));
    expect(err.code).toBe('ERR_TIMEOUT');
    expect(s.requests).toBe(2);
  });

  it('hits the idle timeout when the body stalls mid-way', async () => {
    const s = await serve({
      handler: (_q, res) => {
        res.writeHead(200, { 'content-length': '100000' });
        res.write(Buffer.alloc(1000));
      },
    });
    const res = await client({ options: { timeouts: { idle: 200 } } }).get(s.url);
    const err = await errorOf(text(res.body));
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', phase: 'idle' });
  });

  it('does not count a slow consumer as idle', async () => {
    const s = await serve({ handler: (_q, res) => res.end(Buffer.alloc(4 << 20)) });
    const res = await client({ options: { timeouts: { idle: 150 } } }).get(s.url, {
      highWaterMark: 64 * 1024,
    });
    await new Promise((r) => setTimeout(r, 500)); // buffers fill, nothing is read
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(4 << 20);
  });

  it('hits the total timeout on a body that trickles', async () => {
    const s = await serve({
      handler: (_q, res) => {
        res.writeHead(200);
        const t = setInterval(() => res.write('x'), 30);
        res.on('close', () => clearInterval(t));
      },
    });
    const res = await client({ options: { timeouts: { total: 400, idle: 5000 } } }).get(s.url);
    const err = await errorOf(text(res.body));
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', phase: 'total' });
  });
});

describe('secure-client cancellation', () => {
  it('aborts before the request starts', async () => {
    const ac = new AbortController();
    ac.abort();
    expect((await errorOf(client().get('https://127.0.0.1:9/', { signal: ac.signal }))).code).toBe(
      'ERR_ABORTED',
    );
  });

  it('aborts while connecting', async () => {
    let dialSignal: AbortSignal | null = null;
    const c = client({
      plugins: [
        {
          name: 'slow-route',
          dialerFor: () => ({
            id: 'slow',
            viaProxy: true,
            dial: (signal) => {
              dialSignal = signal;
              return new Promise<Duplex>(() => {});
            },
          }),
        },
      ],
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    expect((await errorOf(c.get('https://127.0.0.1:9/', { signal: ac.signal }))).code).toBe(
      'ERR_ABORTED',
    );
    expect(dialSignal!.aborted).toBe(true);
  });

  it('aborts during the TLS handshake and closes the socket promptly', async () => {
    let closed = false;
    const raw = await startRawServer((s) => {
      s.resume(); // read, so the server notices the client's FIN
      s.on('close', () => (closed = true));
    });
    closers.push(() => raw.close());
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    expect((await errorOf(client().get(raw.url, { signal: ac.signal }))).code).toBe('ERR_ABORTED');
    await until(() => closed, 2000);
  });

  it('aborts while waiting for headers and closes the socket promptly', async () => {
    let closed = false;
    const s = await serve({ handler: (req) => req.socket.on('close', () => (closed = true)) });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    expect((await errorOf(client().get(s.url, { signal: ac.signal }))).code).toBe('ERR_ABORTED');
    await until(() => closed, 2000);
  });

  it('aborts mid-body', async () => {
    let closed = false;
    const s = await serve({
      handler: (req, res) => {
        req.socket.on('close', () => (closed = true));
        res.writeHead(200);
        res.write('partial');
      },
    });
    const ac = new AbortController();
    const res = await client().get(s.url, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect((await errorOf(text(res.body))).code).toBe('ERR_ABORTED');
    await until(() => closed, 2000);
  });

  it('aborts while sleeping before a retry', async () => {
    const s = await serve({
      handler: (_q, res) => res.writeHead(503, { 'retry-after': '30' }).end(),
    });
    const c = client({ options: { retry: { maxRetryAfterMs: 60_000 } } });
    const ac = new AbortController();
    c.on('retry', () => ac.abort());
    const started = Date.now();
    expect((await errorOf(c.get(s.url, { signal: ac.signal }))).code).toBe('ERR_ABORTED');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('secure-client redirects', () => {
  async function pair(target: TlsTestServer['url'] | null, status = 302) {
    const seen: Record<string, string | undefined>[] = [];
    const b = await serve({
      handler: (req, res) => {
        seen.push({
          authorization: req.headers.authorization,
          cookie: req.headers.cookie,
          accept: req.headers.accept,
        });
        res.end('from b');
      },
    });
    const a = await serve({
      handler: (_q, res) =>
        res.writeHead(status, { location: target ?? `https://localhost:${b.port}/b` }).end(),
    });
    return { a, b, seen };
  }
  const headers = { authorization: 'Bearer secret', cookie: 'sid=1', accept: 'text/plain' };

  it('follows a cross-origin redirect and drops Authorization and Cookie', async () => {
    const { a, seen } = await pair(null);
    const res = await client().get(a.url, { headers });
    expect(await text(res.body)).toBe('from b');
    expect(res.url).toMatch(/^https:\/\/localhost:\d+\/b$/);
    expect(res.facts.host).toBe('localhost');
    expect(seen).toEqual([{ authorization: undefined, cookie: undefined, accept: 'text/plain' }]);
  });

  it('refuses a redirect to http with ERR_REDIRECT_INSECURE', async () => {
    const { a } = await pair('http://127.0.0.1:1/plain');
    expect((await errorOf(client().get(a.url))).code).toBe('ERR_REDIRECT_INSECURE');
  });

  it('refuses a redirect from a pinned host to an unpinned host', async () => {
    const { a, b } = await pair(null);
    const c = client({
      options: { pins: [{ host: '127.0.0.1', publicKeyHashes: [pki.leaf.pin] }] },
    });
    expect((await errorOf(c.get(a.url))).code).toBe('ERR_REDIRECT_INSECURE');
    expect(b.connections).toBe(0);
  });

  it('re-applies pins on the redirect hop', async () => {
    const { a, b } = await pair(null);
    const wrong = 'sha256/' + Buffer.alloc(32, 8).toString('base64');
    const c = client({
      options: {
        pins: [
          { host: '127.0.0.1', publicKeyHashes: [pki.leaf.pin] },
          { host: 'localhost', publicKeyHashes: [wrong] },
        ],
      },
    });
    expect((await errorOf(c.get(a.url))).code).toBe('ERR_PIN_MISMATCH');
    expect(b.requests).toBe(0);
    c.pins.add({ host: 'localhost', publicKeyHashes: [pki.intermediate.pin] });
    const res = await c.get(a.url);
    expect(res.facts.matchedPin).toEqual({ pin: pki.intermediate.pin, certIndex: 1 });
    res.body.resume();
  });

  it('stops redirect loops with ERR_TOO_MANY_REDIRECTS', async () => {
    const s = await serve({
      handler: (req, res) =>
        res.writeHead(307, { location: `/${Number(req.url!.slice(1) || 0) + 1}` }).end(),
    });
    expect((await errorOf(client().get(s.url))).code).toBe('ERR_TOO_MANY_REDIRECTS');
    expect(s.requests).toBe(11);
  });
});

describe('secure-client extension points', () => {
  it('runs post-handshake checks before any request byte is sent, with the verified chain', async () => {
    const s = await serve();
    const seen: number[] = [];
    const c = client({
      plugins: [
        {
          name: 'revoker',
          checks: [
            {
              name: 'deny',
              run: (ctx) => {
                seen.push(ctx.chain.length);
                throw new AppError('ERR_CERT_REVOKED', 'revoked for the test');
              },
            },
          ],
        },
      ],
    });
    expect((await errorOf(c.get(s.url))).code).toBe('ERR_CERT_REVOKED');
    expect(seen).toEqual([3]);
    expect(s.requests).toBe(0);
  });

  it('requests an OCSP staple for checks that ask, and copies their facts', async () => {
    const s = await serve({ extra: {} });
    s.server.on(
      'OCSPRequest',
      (_cert: Buffer, _issuer: Buffer, cb: (e: Error | null, r?: Buffer) => void) =>
        cb(null, Buffer.from('staple')),
    );
    const c = client({
      // Only this test's check: the built-in revocation plugin would judge the fake staple.
      builtinPlugins: false,
      plugins: [
        {
          name: 'ocsp',
          checks: [
            {
              name: 'staple',
              requestOCSP: true,
              run: (ctx) => {
                ctx.facts.ocsp = {
                  ...ctx.facts.ocsp,
                  status: 'good',
                  source: 'staple',
                  detail: String(ctx.ocspStaple),
                };
              },
            },
          ],
        },
      ],
    });
    const res = await c.get(s.url);
    res.body.resume();
    expect(res.facts.ocsp).toMatchObject({ status: 'good', source: 'staple', detail: 'staple' });
  });

  it('wraps the body and contributes client certificates per host', async () => {
    const s = await serve({
      requestCert: true,
      ca: [pki.root.cert, pki.intermediate.cert],
      handler: (req, res) =>
        res.end(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN)),
    });
    const plain = client();
    expect((await errorOf(plain.get(s.url, { retry: false }))).code).not.toBe('resolved');
    const c = client({
      plugins: [
        {
          name: 'mtls',
          tlsOptionsFor: (t) =>
            t.host === '127.0.0.1'
              ? { id: 'leaf', options: { cert: pki.chainPem, key: pki.leaf.key } }
              : null,
          wrapBody: (body) =>
            body.pipe(
              new Transform({
                transform: (chunk, _e, cb) => cb(null, String(chunk).toUpperCase()),
              }),
            ),
        },
      ],
    });
    expect(await text((await c.get(s.url)).body)).toBe('LOCALHOST');
  });
});
