/**
 * The Electron shell's composition root: it creates the core, the handler table and the
 * Electron transport, then installs each hardening and desktop concern through its own
 * small setupX(). It holds no business logic; everything the page can do goes through the
 * handler table. Every Electron object comes in as an argument, so tests drive the whole
 * start-up with a mocked `electron` module.
 */
import { join } from 'node:path';
import type * as Electron from 'electron';
import type { NodeLogger } from 'electron-log';
import type { Core } from '../core/services';
import { createCore } from '../core/create-core';
import { attachElectronTransport } from '../ipc/electron-transport';
import { createHandlerTable } from '../ipc/handler-table';
import type { AppLogger, Logger } from '../util/logger';
import { setupAppMenu } from './app-menu';
import { registerAppScheme, setupAppProtocol } from './app-protocol';
import { APP_ENTRY_URL, isAppUrl } from './app-url';
import { setupCspHeaders } from './csp';
import { createElectronAppLogger, forwardRendererLogs } from './logging';
import { backgroundColor, setupNativeTheme } from './native-theme';
import { setupNavigationGuards } from './navigation-guards';
import { setupNotifications } from './notifications';
import { createOpenExternal, createRevealPath } from './open-external';
import { setupPermissionHandlers } from './permissions';
import { setupSingleInstance } from './single-instance';
import { setupTaskbarProgress } from './taskbar-progress';
import { setupTray } from './tray';
import { createMainWindow, focusWindow } from './window';

/** The parts of the electron module the shell uses. */
export type ElectronModule = Pick<
  typeof Electron,
  | 'app'
  | 'BrowserWindow'
  | 'ipcMain'
  | 'Menu'
  | 'nativeImage'
  | 'nativeTheme'
  | 'Notification'
  | 'protocol'
  | 'session'
  | 'shell'
  | 'Tray'
>;

/** Where the built bundles and icons are. */
export interface ShellPaths {
  preload: string;
  rendererDir: string;
  /** Folder with tray.png / trayTemplate.png and the window icon. */
  iconsDir: string;
  /** The shipped production feed config (assets/feed/feed.json → resources/feed). */
  feedConfigFile: string;
}

/** The running shell, for tests and orderly shutdown. */
export interface ShellHandle {
  core: Core;
  logger: Logger;
  window(): Electron.BrowserWindow | null;
  quit(): Promise<void>;
}

/** The default bundle paths next to dist/main/electron-main.cjs. */
export function defaultShellPaths(
  mainDir: string,
  app: Pick<Electron.App, 'isPackaged' | 'getAppPath'>,
  resourcesPath: string,
  env: NodeJS.ProcessEnv = process.env,
): ShellPaths {
  const root = app.getAppPath();
  return {
    preload: join(mainDir, '..', 'preload', 'preload.cjs'),
    rendererDir: join(mainDir, '..', 'renderer'),
    // Packaged: extraResources; development: the committed assets folder.
    iconsDir: app.isPackaged ? join(resourcesPath, 'icons') : join(root, 'assets', 'icons', 'tray'),
    // The feed config decides which keys the update feed must be signed with, so a packaged
    // app only trusts its own copy; LLMRECON_FEED_CONFIG works in development only.
    feedConfigFile: app.isPackaged
      ? join(resourcesPath, 'feed', 'feed.json')
      : (env.LLMRECON_FEED_CONFIG ?? join(root, 'assets', 'feed', 'feed.json')),
  };
}

/**
 * Steps that must happen synchronously at load time, before `ready`: the profile folder
 * (`LLMRECON_UM_USER_DATA_DIR`, used by the e2e spec), the privileged scheme and the
 * single-instance lock. Returns false when this is a second instance.
 */
export function preReady(
  electron: ElectronModule,
  focusExisting: () => void,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  // A separate profile for e2e runs and side-by-side testing; must be set before the lock.
  if (env.LLMRECON_UM_USER_DATA_DIR)
    electron.app.setPath('userData', env.LLMRECON_UM_USER_DATA_DIR);
  registerAppScheme(electron.protocol);
  if (!setupSingleInstance(electron.app, focusExisting)) return false;
  // Every renderer, including ones we never create on purpose, gets the Chromium sandbox.
  electron.app.enableSandbox();
  return true;
}

/** Start the shell once the app is ready. */
export async function startShell(
  electron: ElectronModule,
  paths: ShellPaths,
  backend: NodeLogger,
): Promise<ShellHandle> {
  const { app, BrowserWindow, ipcMain, Menu, nativeImage, nativeTheme, Notification, shell } =
    electron;
  await app.whenReady();
  const devTools = !app.isPackaged;
  let win: Electron.BrowserWindow | null = null;

  // One logger for everything: the core's (file, ring buffer, diagnostics:log events); the
  // shell and the forwarded renderer console write through scopes of it.
  let coreLogger: AppLogger | null = null;
  const core = await createCore({
    mode: 'electron',
    stateDir: app.getPath('userData'),
    version: app.getVersion(),
    electronVersion: process.versions.electron ?? null,
    shell: { revealPath: createRevealPath(shell), openExternal: createOpenExternal(shell) },
    feedConfigFile: paths.feedConfigFile,
    createLogger: (file, onLine) =>
      (coreLogger = createElectronAppLogger(backend, file, onLine, devTools)),
  });
  const rootLogger: Logger =
    coreLogger ?? createElectronAppLogger(backend, core.info.logFile, () => {}, devTools);
  const logger = rootLogger.scope('shell');
  app.setAppLogsPath(join(core.info.stateDir, 'logs'));

  const ses = electron.session.defaultSession;
  setupPermissionHandlers(ses, (m) => logger.warn(m));
  setupCspHeaders(ses);
  setupAppProtocol(ses.protocol, paths.rendererDir);
  app.on('web-contents-created', (_event, contents) => {
    setupNavigationGuards(contents, {
      openExternal: core.shell.openExternal,
      log: (m) => logger.warn(m),
    });
  });

  const table = createHandlerTable(core, (level, message) => logger[level](message));
  const transport = attachElectronTransport({
    ipcMain,
    table,
    events: core.events,
    contents: () => (win && !win.isDestroyed() ? win.webContents : null),
    isAppUrl,
  });

  const report = (what: string) => (err: unknown) => logger.error(`${what} failed`, err);
  // Menu and tray actions never throw into Electron's event loop: failures are logged.
  const run = (what: string, action: () => unknown) =>
    void Promise.resolve().then(action).catch(report(what));
  const showWindow = () => {
    if (!focusWindow(win)) openWindow();
  };
  const revealLogs = () => shell.showItemInFolder(core.diagnostics.logFile());
  const exportDiagnostics = () =>
    run('diagnostics export', async () =>
      shell.showItemInFolder((await core.diagnostics.exportBundle()).path),
    );
  const pauseAll = () => run('pause all', () => core.jobs.pauseAll());
  const resumeAll = () => run('resume all', () => core.jobs.resumeAll());

  let quitting = false;
  const quit = async () => {
    if (quitting) return;
    quitting = true;
    transport.close();
    stops.forEach((stop) => stop());
    tray?.destroy();
    await core.close().catch(report('core close'));
    app.quit();
  };

  setupAppMenu(
    Menu,
    process.platform,
    {
      checkForUpdates: () => run('update check', () => core.updates.check()),
      pauseAll,
      resumeAll,
      revealLogs,
      exportDiagnostics,
    },
    devTools,
  );

  const trayIcon = nativeImage.createFromPath(
    join(paths.iconsDir, process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'),
  );
  let tray: Electron.Tray | null = null;
  try {
    tray = setupTray({ Tray: electron.Tray, Menu }, trayIcon, {
      show: showWindow,
      pauseAll,
      resumeAll,
      quit: () => void quit(),
    });
  } catch (err) {
    // Some Linux desktops have no tray; the app works without it.
    logger.warn('tray unavailable', err);
  }

  let initialUpdates = null;
  try {
    initialUpdates = core.updates.status();
  } catch {
    // The update service may not be wired in this build.
  }
  const stops = [
    setupNativeTheme(nativeTheme, core.settings.get(), core.events, (color) => {
      if (win && !win.isDestroyed()) win.setBackgroundColor(color);
    }),
    setupNotifications(Notification, core.events, initialUpdates, showWindow),
    setupTaskbarProgress(
      core.events,
      () => win,
      (p) =>
        tray?.setToolTip(
          p.mode === 'none'
            ? 'LLMrecon Update Manager'
            : `LLMrecon Update Manager — ${p.value <= 1 ? `${Math.round(p.value * 100)}%` : 'downloading'}`,
        ),
    ),
  ];

  function openWindow() {
    win = createMainWindow(BrowserWindow, {
      preloadPath: paths.preload,
      iconPath: join(paths.iconsDir, 'tray@2x.png'),
      backgroundColor: backgroundColor(nativeTheme),
      devTools,
    });
    forwardRendererLogs(win.webContents, rootLogger);
    win.on('closed', () => {
      win = null;
    });
    win.loadURL(APP_ENTRY_URL).catch(report('loading the window'));
  }

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') void quit();
  });
  app.on('activate', () => showWindow());
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Close the core (job store flush, lock release) before the process ends.
    event.preventDefault();
    void quit();
  });
  openWindow();
  return { core, logger, window: () => win, quit };
}
