import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ shell: { openExternal: vi.fn(async () => {}) } }));

import { shell } from 'electron';
import { setupNavigationGuards } from './navigation-guards';
import { createOpenExternal } from './open-external';

type OpenHandler = (details: { url: string }) => { action: string };

function guarded() {
  const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
  const log = vi.fn();
  setupNavigationGuards(contents as never, { openExternal: createOpenExternal(shell), log });
  const openHandler = contents.setWindowOpenHandler.mock.calls[0]![0] as OpenHandler;
  const fire = (name: string, url?: string) => {
    const event = { preventDefault: vi.fn() };
    contents.emit(name, event, url);
    return event;
  };
  return { fire, openHandler, log };
}

describe('navigation-guards', () => {
  describe('setupNavigationGuards()', () => {
    it('prevents every will-navigate, including to our own origin', () => {
      const { fire } = guarded();
      for (const url of ['app://bundle/other.html', 'https://evil.example/', 'file:///etc/passwd'])
        expect(fire('will-navigate', url).preventDefault).toHaveBeenCalled();
    });

    it('prevents redirects and <webview> attachment', () => {
      const { fire } = guarded();
      expect(fire('will-redirect', 'https://x.example/').preventDefault).toHaveBeenCalled();
      expect(fire('will-attach-webview').preventDefault).toHaveBeenCalled();
    });

    it('denies every window.open and opens only https links in the OS browser', async () => {
      vi.mocked(shell.openExternal).mockClear();
      const { openHandler } = guarded();
      expect(openHandler({ url: 'https://docs.example/release' })).toEqual({ action: 'deny' });
      for (const url of [
        'http://plain.example/',
        'file:///bin/sh',
        'javascript:alert(1)',
        'smb://host/share',
      ])
        expect(openHandler({ url })).toEqual({ action: 'deny' });
      await new Promise((r) => setImmediate(r));
      expect(vi.mocked(shell.openExternal).mock.calls).toEqual([['https://docs.example/release']]);
    });

    it('hands an https navigation to the OS browser instead of the window', async () => {
      vi.mocked(shell.openExternal).mockClear();
      const { fire, log } = guarded();
      fire('will-navigate', 'https://docs.example/');
      fire('will-navigate', 'file:///etc/passwd');
      await new Promise((r) => setImmediate(r));
      expect(vi.mocked(shell.openExternal).mock.calls).toEqual([['https://docs.example/']]);
      expect(log).toHaveBeenCalledWith(expect.stringContaining('file:///etc/passwd'));
    });
  });
});
