import * as http from 'node:http';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../test-support/pki';
import { startTlsServer, type TlsTestServer } from '../test-support/tls-server';
import type { Dialer, SecureClientPlugin } from './extensions';
import { SecureClient } from './secure-client';

let pki: TestPki;
let origin: TlsTestServer;
let proxy: http.Server;
let proxyPort = 0;
let tunnels = 0;
const clients: SecureClient[] = [];

beforeAll(async () => {
  pki = createTestPki();
  origin = await startTlsServer({ cert: pki.chainPem, key: pki.leaf.key });
  // A minimal HTTP CONNECT proxy: the TLS session runs end to end through it.
  proxy = http.createServer((_q, r) => r.writeHead(405).end());
  proxy.on('connect', (req, client: Duplex, head: Buffer) => {
    tunnels++;
    const [host, port] = String(req.url).split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyPort = (proxy.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await origin.close();
  proxy.closeAllConnections();
  await new Promise((r) => proxy.close(r));
  pki.cleanup();
});

const connectProxy: SecureClientPlugin = {
  name: 'test-connect-proxy',
  dialerFor: (target): Dialer => ({
    id: `proxy:${proxyPort}`,
    viaProxy: true,
    dial: (signal) =>
      new Promise((resolve, reject) => {
        const req = http.request({
          host: '127.0.0.1',
          port: proxyPort,
          method: 'CONNECT',
          path: `${target.host}:${target.port}`,
          signal,
        });
        req.once('connect', (res, socket) =>
          res.statusCode === 200 ? resolve(socket) : reject(new Error(`proxy ${res.statusCode}`)),
        );
        req.once('error', reject);
        req.end();
      }),
  }),
};

function client(pins: string[]): SecureClient {
  const c = new SecureClient({
    options: {
      ca: [pki.root.cert],
      useSystemRoots: false,
      retry: { maxAttempts: 1 },
      pins: [{ host: '127.0.0.1', publicKeyHashes: pins }],
    },
    plugins: [connectProxy],
  });
  clients.push(c);
  return c;
}

describe('secure-client through a proxy', () => {
  it('verifies the origin end to end through a CONNECT tunnel', async () => {
    const before = tunnels;
    const res = await client([pki.intermediate.pin]).get(origin.url);
    res.body.resume();
    expect(res.facts.viaProxy).toBe(true);
    expect(res.facts.matchedPin?.pin).toBe(pki.intermediate.pin);
    expect(tunnels).toBe(before + 1);
  });

  it('refuses a pin mismatch through the tunnel before sending the request', async () => {
    const requests = origin.requests;
    await expect(
      client(['sha256/' + Buffer.alloc(32, 9).toString('base64')]).get(origin.url),
    ).rejects.toMatchObject({
      code: 'ERR_PIN_MISMATCH',
    });
    expect(origin.requests).toBe(requests);
  });
});
