import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
}));

import { protocol } from 'electron';
import { registerAppScheme, serveAppRequest, setupAppProtocol } from './app-protocol';
import { CONTENT_SECURITY_POLICY } from './csp';

const root = mkdtempSync(join(tmpdir(), 'um-proto-'));
const bundle = join(root, 'renderer');
mkdirSync(join(bundle, 'assets'), { recursive: true });
writeFileSync(join(bundle, 'index.html'), '<!doctype html><title>t</title>');
writeFileSync(join(bundle, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(root, 'secret.txt'), 'outside the bundle');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('app-protocol', () => {
  describe('registerAppScheme()', () => {
    it('registers app:// as standard and secure, without CSP bypass or service workers', () => {
      registerAppScheme(protocol);
      expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
        {
          scheme: 'app',
          privileges: expect.objectContaining({
            standard: true,
            secure: true,
            bypassCSP: false,
            allowServiceWorkers: false,
          }),
        },
      ]);
    });
  });

  describe('serveAppRequest()', () => {
    it('serves bundle files with a fixed type, nosniff and the CSP header', async () => {
      const res = await serveAppRequest(bundle, 'app://bundle/index.html');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).toContain('<title>t</title>');
      const js = await serveAppRequest(bundle, 'app://bundle/assets/app.js');
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    });
    it('refuses paths that escape the bundle folder', async () => {
      for (const url of ['app://bundle/%2e%2e/secret.txt', 'app://bundle/..%2fsecret.txt']) {
        const res = await serveAppRequest(bundle, url);
        expect([400, 404], url).toContain(res.status);
        expect(await res.text()).not.toContain('outside');
      }
    });
    it('answers 404 for other hosts and missing files', async () => {
      expect((await serveAppRequest(bundle, 'app://evil/index.html')).status).toBe(404);
      expect((await serveAppRequest(bundle, 'app://bundle/nope.js')).status).toBe(404);
    });
  });

  describe('setupAppProtocol()', () => {
    it('handles the app scheme from the bundle folder', async () => {
      setupAppProtocol(protocol, bundle);
      const [scheme, handler] = vi.mocked(protocol.handle).mock.calls[0]!;
      expect(scheme).toBe('app');
      const res = await handler({ url: 'app://bundle/index.html' } as GlobalRequest);
      expect(res.status).toBe(200);
    });
  });
});
