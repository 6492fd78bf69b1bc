import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoPki } from './demo-pki';

describe('createDemoPki()', () => {
  it('limits the demo CA to loopback names with a critical nameConstraints extension', async () => {
    const pki = await createDemoPki();
    const dir = mkdtempSync(join(tmpdir(), 'demo-pki-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), pki.caCert);
      writeFileSync(join(dir, 'leaf.pem'), pki.leafCert);
      const text = execFileSync(
        'openssl',
        ['x509', '-in', join(dir, 'ca.pem'), '-noout', '-text'],
        { encoding: 'utf8' },
      );
      expect(text).toMatch(
        /X509v3 Name Constraints: critical\s+Permitted:\s+DNS:localhost\s+IP:127\.0\.0\.1\/255\.255\.255\.255/,
      );
      // The loopback leaf still verifies under the constrained CA.
      const ok = execFileSync(
        'openssl',
        ['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'leaf.pem')],
        { encoding: 'utf8' },
      );
      expect(ok).toContain(': OK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
