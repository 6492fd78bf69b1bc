import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../test-support/pki';
import { startTlsServer, type TlsTestServer } from '../../test-support/tls-server';
import { runPinCommand } from './pin';

let pki: TestPki;
let server: TlsTestServer;
beforeAll(async () => {
  pki = createTestPki();
  server = await startTlsServer({ cert: pki.chainPem, key: pki.leaf.key });
});
afterAll(async () => {
  await server.close();
  pki.cleanup();
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runPinCommand(argv, { stdout, stderr });
  return { code, out, err };
}

describe('pin command', () => {
  describe('runPinCommand()', () => {
    it('prints the verified chain with a sha256/ pin per certificate', async () => {
      const r = await run([server.url, '--ca', pki.root.certFile]);
      expect(r.code).toBe(0);
      for (const pin of [pki.leaf.pin, pki.intermediate.pin, pki.root.pin])
        expect(r.out).toContain(pin);
      expect(r.out).toContain('TLSv1.3');
      expect(r.out).toContain('CN=Test Intermediate CA');
    });

    it('prints connection facts as JSON', async () => {
      const r = await run([`${server.url}/`, '--json', '--ca', pki.root.certFile]);
      expect(r.code).toBe(0);
      const facts = JSON.parse(r.out);
      expect(facts.chain.map((c: { spkiPin: string }) => c.spkiPin)).toEqual([
        pki.leaf.pin,
        pki.intermediate.pin,
        pki.root.pin,
      ]);
    });

    it('fails with the coded error when the chain is not trusted', async () => {
      const r = await run([server.url]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^error ERR_CERT_UNTRUSTED: /);
    });

    it('fails with ERR_PIN_MISMATCH listing the chain when a given pin does not match', async () => {
      const r = await run([
        server.url,
        '--ca',
        pki.root.certFile,
        '--pin',
        'sha256/' + Buffer.alloc(32).toString('base64'),
      ]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('ERR_PIN_MISMATCH');
      expect(r.err).toContain(pki.leaf.pin);
    });

    it.each([[[]], [['http://127.0.0.1/']], [['--bogus', 'https://x/']]])(
      'rejects bad usage %j',
      async (argv) => {
        const r = await run(argv);
        expect(r.code).toBeGreaterThan(0);
        expect(r.err).toMatch(/^error ERR_/);
      },
    );
  });
});
