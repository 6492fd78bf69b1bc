import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import nodeLog from 'electron-log/node';
import { EVENT_IPC_CHANNEL, INVOKE_CHANNELS } from '../../preload/contract';

const userData = mkdtempSync(join(tmpdir(), 'um-shell-'));

const fake = await vi.hoisted(async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    whenReady: vi.fn(async () => {}),
    getPath: vi.fn((_name: string) => ''),
    getVersion: () => '9.9.9',
    getAppPath: () => '/app',
    setAppLogsPath: vi.fn(),
    setPath: vi.fn(),
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
  });
  class WebContents extends Emitter {
    mainFrame = { url: 'app://bundle/index.html', parent: null, processId: 4, routingId: 1 };
    send = vi.fn();
    setWindowOpenHandler = vi.fn();
    isDestroyed = () => false;
  }
  class BrowserWindow extends Emitter {
    static all: BrowserWindow[] = [];
    webContents = new WebContents();
    loadURL = vi.fn(async () => {});
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = () => false;
    isDestroyed = () => false;
    setBackgroundColor = vi.fn();
    setProgressBar = vi.fn();
    constructor(readonly options: Record<string, unknown>) {
      super();
      BrowserWindow.all.push(this);
    }
  }
  class Tray {
    setToolTip = vi.fn();
    setContextMenu = vi.fn();
    on = vi.fn();
    destroy = vi.fn();
    constructor(readonly icon: unknown) {}
  }
  class Notification {
    static isSupported = () => true;
    on = vi.fn();
    show = vi.fn();
  }
  return {
    handlers,
    app,
    BrowserWindow,
    Tray,
    Notification,
    ipcMain: {
      handle: vi.fn((c: string, l: (event: unknown, ...args: unknown[]) => unknown) => {
        handlers.set(c, l);
      }),
      removeHandler: vi.fn((c: string) => void handlers.delete(c)),
    },
    Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ t })), setApplicationMenu: vi.fn() },
    nativeImage: { createFromPath: vi.fn((p: string) => ({ p })) },
    nativeTheme: Object.assign(new Emitter(), {
      themeSource: 'system',
      shouldUseDarkColors: false,
    }),
    protocol: { registerSchemesAsPrivileged: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
        webRequest: { onHeadersReceived: vi.fn() },
        protocol: { handle: vi.fn() },
      },
    },
    shell: { openExternal: vi.fn(async () => {}), showItemInFolder: vi.fn() },
  };
});
vi.mock('electron', () => fake);

import * as electron from 'electron';
import { defaultShellPaths, preReady, startShell, type ShellHandle } from './app-main';

const paths = {
  preload: '/app/dist/preload/preload.cjs',
  rendererDir: '/app/dist/renderer',
  iconsDir: '/icons',
  feedConfigFile: join(userData, 'no-feed.json'),
};
type Win = InstanceType<typeof fake.BrowserWindow>;

describe('app-main', () => {
  describe('preReady()', () => {
    it('registers the app scheme, takes the lock and enables the sandbox for all renderers', () => {
      expect(preReady(electron, vi.fn())).toBe(true);
      expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
      expect(fake.app.enableSandbox).toHaveBeenCalled();
    });
    it('uses LLMRECON_UM_USER_DATA_DIR as the profile folder when set', () => {
      preReady(electron, vi.fn(), { LLMRECON_UM_USER_DATA_DIR: '/tmp/profile' });
      expect(fake.app.setPath).toHaveBeenCalledWith('userData', '/tmp/profile');
    });
    it('stops a second instance before anything else starts', () => {
      fake.app.requestSingleInstanceLock.mockReturnValueOnce(false);
      fake.app.enableSandbox.mockClear();
      expect(preReady(electron, vi.fn())).toBe(false);
      expect(fake.app.quit).toHaveBeenCalled();
      expect(fake.app.enableSandbox).not.toHaveBeenCalled();
    });
  });

  describe('defaultShellPaths()', () => {
    it('finds the bundles beside dist/main and, when packaged, icons and feed in resources', () => {
      const packaged = defaultShellPaths(
        '/opt/app/resources/app.asar/dist/main',
        {
          isPackaged: true,
          getAppPath: () => '/opt/app/resources/app.asar',
        },
        '/opt/app/resources',
        { LLMRECON_FEED_CONFIG: '/tmp/evil-feed.json' },
      );
      expect(packaged).toEqual({
        preload: '/opt/app/resources/app.asar/dist/preload/preload.cjs',
        rendererDir: '/opt/app/resources/app.asar/dist/renderer',
        iconsDir: '/opt/app/resources/icons',
        feedConfigFile: '/opt/app/resources/feed/feed.json',
      });
    });
    it('uses the committed assets (and LLMRECON_FEED_CONFIG) in development', () => {
      const dev = defaultShellPaths(
        '/src/dist/main',
        { isPackaged: false, getAppPath: () => '/src' },
        '/e',
        {},
      );
      expect(dev.iconsDir).toBe('/src/assets/icons/tray');
      expect(dev.feedConfigFile).toBe('/src/assets/feed/feed.json');
      const override = defaultShellPaths(
        '/src/dist/main',
        { isPackaged: false, getAppPath: () => '/src' },
        '/e',
        {
          LLMRECON_FEED_CONFIG: '/tmp/feed.json',
        },
      );
      expect(override.feedConfigFile).toBe('/tmp/feed.json');
    });
  });

  describe('startShell()', () => {
    let shell: ShellHandle;
    let win: Win;
    const trusted = () => ({ sender: win.webContents, senderFrame: win.webContents.mainFrame });
    const invoke = (channel: string, event: unknown, args?: unknown) =>
      fake.handlers.get(channel)!(event, args) as Promise<{
        ok: boolean;
        value: { path: string };
        error?: { code: string };
      }>;

    beforeAll(async () => {
      fake.app.getPath.mockReturnValue(userData);
      const backend = nodeLog.create({ logId: 'shell-test' });
      shell = await startShell(electron, paths, backend);
      win = fake.BrowserWindow.all.at(-1)!;
    });
    afterAll(() => rmSync(userData, { recursive: true, force: true }));

    it('creates the core in Electron mode with its state in userData', async () => {
      expect(shell.core.info).toMatchObject({
        mode: 'electron',
        stateDir: userData,
        version: '9.9.9',
      });
    });

    it('opens one hardened window on our preload and loads app://bundle/', () => {
      expect(fake.BrowserWindow.all).toHaveLength(1);
      expect(win.options.webPreferences).toMatchObject({
        preload: paths.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
      });
      expect(win.loadURL).toHaveBeenCalledWith('app://bundle/index.html');
    });

    it('installs the permission, CSP and protocol handlers on the session', () => {
      const ses = fake.session.defaultSession;
      expect(ses.setPermissionRequestHandler).toHaveBeenCalled();
      expect(ses.setPermissionCheckHandler).toHaveBeenCalled();
      expect(ses.webRequest.onHeadersReceived).toHaveBeenCalled();
      expect(ses.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    });

    it("logs the shell's security events through the core's redacting logger", () => {
      const handler = fake.session.defaultSession.setPermissionRequestHandler.mock.calls[0]![0] as (
        wc: unknown,
        permission: string,
        cb: (ok: boolean) => void,
      ) => void;
      const cb = vi.fn();
      handler({}, 'media', cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(shell.core.diagnostics.recentLogs()).toContainEqual(
        expect.objectContaining({
          scope: 'shell',
          message: 'permissions: denied request for media',
        }),
      );
    });

    it('guards navigation of every WebContents that is created', () => {
      const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
      fake.app.emit('web-contents-created', {}, contents);
      expect(contents.setWindowOpenHandler).toHaveBeenCalled();
      expect(contents.listenerCount('will-navigate')).toBe(1);
    });

    it('answers every contract channel through the handler table', async () => {
      expect([...fake.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
      await expect(invoke('app:getInfo', trusted())).resolves.toMatchObject({
        ok: true,
        value: { mode: 'electron', electronVersion: null },
      });
    });

    it('refuses a subframe of the window with ERR_UNTRUSTED_SENDER', async () => {
      const sub = {
        url: 'app://bundle/index.html',
        parent: win.webContents.mainFrame,
        processId: 4,
        routingId: 9,
      };
      await expect(
        invoke('app:getInfo', { sender: win.webContents, senderFrame: sub }),
      ).resolves.toMatchObject({
        ok: false,
        error: { code: 'ERR_UNTRUSTED_SENDER' },
      });
    });

    it('opens https links through the shell and reveals the log file', async () => {
      await expect(
        invoke('app:openExternal', trusted(), { url: 'https://example.com/notes' }),
      ).resolves.toMatchObject({ ok: true });
      expect(fake.shell.openExternal).toHaveBeenCalledWith('https://example.com/notes');
      const revealed = await invoke('diagnostics:revealLogs', trusted());
      expect(revealed.value.path).toBe(join(userData, 'logs', 'main.log'));
      expect(fake.shell.showItemInFolder).toHaveBeenCalledWith(revealed.value.path);
    });

    it('forwards core events to the window on the event channel', async () => {
      shell.core.events.emit('app:notice', { level: 'info', code: null, message: 'hello', at: 1 });
      await vi.waitFor(
        () => {
          const sent = win.webContents.send.mock.calls as [
            string,
            { event: string; payload: { message?: string } }[],
          ][];
          const events = sent
            .filter(([c]) => c === EVENT_IPC_CHANNEL)
            .flatMap(([, batch]) => batch);
          expect(events).toContainEqual({
            event: 'app:notice',
            payload: expect.objectContaining({ message: 'hello' }),
          });
        },
        { timeout: 10_000 },
      );
    });

    it('installs the application menu and the tray', () => {
      expect(fake.Menu.setApplicationMenu).toHaveBeenCalled();
      expect(fake.nativeImage.createFromPath).toHaveBeenCalledWith(join('/icons', 'tray.png'));
    });

    it('closes the core and the transport before quitting', async () => {
      const event = { preventDefault: vi.fn() };
      fake.app.quit.mockClear();
      fake.app.emit('before-quit', event);
      expect(event.preventDefault).toHaveBeenCalled();
      await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled(), { timeout: 20_000 });
      expect(fake.handlers.size).toBe(0);
    });
  });
});
