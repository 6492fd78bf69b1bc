import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SecureClient } from '../net/secure-client';
import { createTestPki, type TestPki } from '../test-support/pki';
import { downloadWithSecureProgress } from './download-with-secure-progress';
import { partPathOf } from './resume-state';
import { startFileServer, type FileServer } from './test-support-server';

let pki: TestPki;
let dir: string;
let server: FileServer | null = null;
let client: SecureClient;

beforeAll(() => {
  pki = createTestPki();
  client = new SecureClient({ options: { ca: [pki.root.cert], useSystemRoots: false } });
});
afterAll(async () => {
  await client.close();
  pki.cleanup();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dl-seed-'));
});
afterEach(async () => {
  await server?.close();
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('download-with-secure-progress', () => {
  describe('downloadWithSecureProgress()', () => {
    it('downloads with the right pin and reports (total, downloaded, percentage)', async () => {
      const body = randomBytes(200_000);
      server = await startFileServer(pki, body);
      const calls: [number, number, number][] = [];
      const dest = join(dir, 'f');
      const result = await downloadWithSecureProgress(
        server.url,
        dest,
        [pki.leaf.pin],
        (t, d, p) => calls.push([t, d, p]),
        { client },
      );
      expect(readFileSync(dest).equals(body)).toBe(true);
      expect(result.sha256).toBe(createHash('sha256').update(body).digest('hex'));
      expect(calls.at(-1)).toEqual([body.length, body.length, 100]);
      // -1 only while the size is unknown (before the first response), then the real total.
      expect(calls.map(([t]) => t).filter((t) => t !== body.length && t !== -1)).toEqual([]);
    });

    it('refuses a server whose key is not pinned (ERR_PIN_MISMATCH) and writes nothing', async () => {
      server = await startFileServer(pki, randomBytes(10_000));
      const other = pki.issueLeaf('other');
      const dest = join(dir, 'f');
      await expect(
        downloadWithSecureProgress(server.url, dest, [other.pin], undefined, { client }),
      ).rejects.toMatchObject({ code: 'ERR_PIN_MISMATCH' });
      expect(existsSync(dest)).toBe(false);
      expect(existsSync(partPathOf(dest))).toBe(false);
      expect(server.requests).toHaveLength(0);
    });

    it('applies PinnedCertificate entries for the URL host', async () => {
      const body = randomBytes(5_000);
      server = await startFileServer(pki, body);
      const other = pki.issueLeaf('other2');
      await expect(
        downloadWithSecureProgress(
          server.url,
          join(dir, 'a'),
          [{ host: '127.0.0.1', publicKeyHashes: [other.pin] }],
          undefined,
          { client },
        ),
      ).rejects.toMatchObject({ code: 'ERR_PIN_MISMATCH' });
      const ok = await downloadWithSecureProgress(
        server.url,
        join(dir, 'b'),
        [{ host: '127.0.0.1', publicKeyHashes: [pki.leaf.pin] }],
        undefined,
        { client },
      );
      expect(ok.bytes).toBe(body.length);
    });
  });
});
