import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({
  session: { defaultSession: { webRequest: { onHeadersReceived: vi.fn() } } },
}));

import { session } from 'electron';
import { CONTENT_SECURITY_POLICY, setupCspHeaders, withCspHeader } from './csp';

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0]!, d.split(/\s+/).slice(1).join(' ')]),
  );
}

describe('csp', () => {
  describe('CONTENT_SECURITY_POLICY', () => {
    it("starts from default-src 'none' and allows no inline or eval code", () => {
      expect(CONTENT_SECURITY_POLICY.startsWith("default-src 'none';")).toBe(true);
      expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|\*|data:.*script|blob:/);
      expect(directives(CONTENT_SECURITY_POLICY).get('script-src')).toBe("'self'");
    });
    it('is at least as strict as the meta tag in renderer/index.html', () => {
      const html = readFileSync(join(__dirname, '../../renderer/index.html'), 'utf8');
      const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1]!;
      const header = directives(CONTENT_SECURITY_POLICY);
      const page = directives(meta);
      expect(page.get('default-src')).toBe("'none'");
      for (const [name, value] of page) {
        const ours = header.get(name);
        expect(ours, name).toBeDefined();
        for (const source of ours!.split(' ')) {
          if (source !== "'none'") expect(value.split(' '), name).toContain(source);
        }
      }
    });
  });

  describe('setupCspHeaders()', () => {
    it("replaces any response's CSP with ours on the session hook", () => {
      setupCspHeaders(session.defaultSession);
      const hook = vi.mocked(session.defaultSession.webRequest.onHeadersReceived).mock
        .calls[0]![0] as unknown as (
        details: { responseHeaders?: Record<string, string[]> },
        cb: (r: { responseHeaders: Record<string, string[]> }) => void,
      ) => void;
      const callback = vi.fn();
      hook(
        {
          responseHeaders: {
            'content-security-policy': ["default-src * 'unsafe-inline'"],
            'Content-Type': ['text/html'],
          },
        },
        callback,
      );
      expect(callback).toHaveBeenCalledWith({
        responseHeaders: {
          'Content-Type': ['text/html'],
          'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        },
      });
    });
  });

  describe('withCspHeader()', () => {
    it('adds the header when the response had none', () => {
      expect(withCspHeader(undefined)).toEqual({
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      });
    });
  });
});
