import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../test-support/pki';
import { startTlsServer, type TlsTestServer } from '../test-support/tls-server';
import { SecureClient } from './secure-client';
import { ThrottleGroup } from './throttle-bucket';

const SIZE = 768 * 1024;
let pki: TestPki;
let server: TlsTestServer;
let client: SecureClient;

beforeAll(async () => {
  pki = createTestPki();
  const payload = Buffer.alloc(SIZE, 7);
  server = await startTlsServer({
    cert: pki.chainPem,
    key: pki.leaf.key,
    handler: (_req, res) => res.end(payload),
  });
  client = new SecureClient({ options: { ca: [pki.root.cert], useSystemRoots: false } });
});
afterAll(async () => {
  await client.close();
  await server.close();
  pki.cleanup();
});

async function download(init: Parameters<SecureClient['request']>[1] = {}): Promise<number> {
  const res = await client.request(server.url, init);
  let n = 0;
  for await (const chunk of res.body) n += (chunk as Buffer).length;
  return n;
}

describe('throttle-plugin', () => {
  describe('SecureClient with bandwidth limits', () => {
    it('paces a real TLS download by the global bandwidthLimit (coarse)', async () => {
      client.updateOptions({ bandwidthLimit: 512 * 1024 });
      const start = performance.now();
      expect(await download()).toBe(SIZE);
      const seconds = (performance.now() - start) / 1000;
      expect(seconds).toBeGreaterThan(1.1); // 768 KiB at 512 KiB/s ≈ 1.5 s
      expect(seconds).toBeLessThan(4);
      client.updateOptions({ bandwidthLimit: null });
    });

    it('shares a job group between parallel segments', async () => {
      const job = new ThrottleGroup(1024 * 1024);
      const start = performance.now();
      const sizes = await Promise.all([download({ throttle: job }), download({ throttle: job })]);
      expect(sizes).toEqual([SIZE, SIZE]);
      // 1.5 MiB in total at 1 MiB/s: well over the 0.75 s two separate budgets would take.
      expect((performance.now() - start) / 1000).toBeGreaterThan(1.1);
    });

    it('lifts a limit for a transfer already running', async () => {
      const job = new ThrottleGroup(64 * 1024); // would take 12 s
      const start = performance.now();
      setTimeout(() => job.setLimit(null), 300);
      expect(await download({ throttle: job })).toBe(SIZE);
      expect(performance.now() - start).toBeLessThan(6000);
    });
  });
});
