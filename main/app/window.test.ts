import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => {
  class BrowserWindow {
    static instances: BrowserWindow[] = [];
    readonly once = vi.fn();
    readonly show = vi.fn();
    constructor(readonly options: unknown) {
      BrowserWindow.instances.push(this);
    }
  }
  return { BrowserWindow };
});

import { BrowserWindow } from 'electron';
import { createMainWindow, focusWindow, mainWindowOptions } from './window';

type Fake = {
  options: Electron.BrowserWindowConstructorOptions;
  once: ReturnType<typeof vi.fn>;
  show: ReturnType<typeof vi.fn>;
};
const inputs = {
  preloadPath: '/app/dist/preload/preload.cjs',
  backgroundColor: '#fff',
  devTools: false,
};

describe('window', () => {
  describe('createMainWindow()', () => {
    const win = createMainWindow(BrowserWindow, inputs) as unknown as Fake;
    const prefs = win.options.webPreferences!;

    it('isolates the preload context from the page (contextIsolation)', () => {
      expect(prefs.contextIsolation).toBe(true);
    });
    it('runs the renderer in the Chromium sandbox', () => {
      expect(prefs.sandbox).toBe(true);
    });
    it('gives the page, its workers and its subframes no Node.js', () => {
      expect(prefs.nodeIntegration).toBe(false);
      expect(prefs.nodeIntegrationInWorker).toBe(false);
      expect(prefs.nodeIntegrationInSubFrames).not.toBe(true);
    });
    it('keeps web security on and refuses insecure content', () => {
      expect(prefs.webSecurity).toBe(true);
      expect(prefs.allowRunningInsecureContent).toBe(false);
    });
    it('disables <webview>, experimental features and extra Blink features', () => {
      expect(prefs.webviewTag).toBe(false);
      expect(prefs.experimentalFeatures).toBe(false);
      expect(prefs).not.toHaveProperty('enableBlinkFeatures');
      expect(prefs.navigateOnDragDrop).toBe(false);
    });
    it('loads our preload bundle and no other', () => {
      expect(prefs.preload).toBe(inputs.preloadPath);
    });
    it('stays hidden until ready-to-show, then shows', () => {
      expect(win.options.show).toBe(false);
      expect(win.once).toHaveBeenCalledWith('ready-to-show', expect.any(Function));
      (win.once.mock.calls[0]![1] as () => void)();
      expect(win.show).toHaveBeenCalled();
    });
  });

  describe('mainWindowOptions()', () => {
    it('enables DevTools only when asked (development builds)', () => {
      expect(mainWindowOptions(inputs).webPreferences!.devTools).toBe(false);
      expect(mainWindowOptions({ ...inputs, devTools: true }).webPreferences!.devTools).toBe(true);
    });
  });

  describe('focusWindow()', () => {
    it('restores, shows and focuses a minimized window', () => {
      const win = {
        isDestroyed: () => false,
        isMinimized: () => true,
        restore: vi.fn(),
        show: vi.fn(),
        focus: vi.fn(),
      };
      expect(focusWindow(win)).toBe(true);
      expect(win.restore).toHaveBeenCalled();
      expect(win.focus).toHaveBeenCalled();
    });
    it('returns false when there is no live window', () => {
      expect(focusWindow(null)).toBe(false);
    });
  });
});
